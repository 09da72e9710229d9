export function sqliteStoreTests(): void {}
