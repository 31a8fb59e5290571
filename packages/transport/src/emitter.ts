/**
 * A small typed event emitter. Unlike node:events it never throws when an
 * 'error' event has no listener, and a throwing listener cannot break the
 * transport that emitted (the error is rethrown on a later tick, so it is
 * still visible).
 */
export class Emitter<Events extends Record<string, unknown[]>> {
  private listeners: { [K in keyof Events]?: Array<(...args: Events[K]) => void> } = {};

  on<K extends keyof Events>(event: K, listener: (...args: Events[K]) => void): this {
    (this.listeners[event] ??= []).push(listener);
    return this;
  }

  once<K extends keyof Events>(event: K, listener: (...args: Events[K]) => void): this {
    const wrapped = (...args: Events[K]) => {
      this.off(event, wrapped);
      listener(...args);
    };
    return this.on(event, wrapped);
  }

  off<K extends keyof Events>(event: K, listener: (...args: Events[K]) => void): this {
    const list = this.listeners[event];
    if (list) this.listeners[event] = list.filter((l) => l !== listener);
    return this;
  }

  listenerCount(event: keyof Events): number {
    return this.listeners[event]?.length ?? 0;
  }

  protected emit<K extends keyof Events>(event: K, ...args: Events[K]): void {
    const list = this.listeners[event];
    if (!list) return;
    for (const listener of [...list]) {
      try {
        listener(...args);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
