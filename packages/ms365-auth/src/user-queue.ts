/**
 * One user's operations run one after the other in this process.
 * @module
 */

/** Per-user queues: a task runs after every earlier task of the same user. */
export class UserQueue {
  readonly #queues = new Map<string, Promise<unknown>>();

  /** Runs `task` after every earlier task of the same user in this process. */
  run<T>(userId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(userId) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.#queues.set(userId, tail);
    void tail.then(() => {
      if (this.#queues.get(userId) === tail) this.#queues.delete(userId);
    });
    return run;
  }
}
