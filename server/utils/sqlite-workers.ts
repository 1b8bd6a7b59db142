/**
 * SQLite off the event loop: one writer thread and a few reader threads, each with its own
 * better-sqlite3 connection to the same file in WAL mode. Readers see the last committed
 * state while the writer works, so a search never waits for an import, and a slow query
 * occupies one thread while the others (and the event loop) go on.
 *
 * SQLite takes one writer at a time, so writes queue here, in the main thread: a transaction
 * holds the writer from BEGIN to COMMIT and single writing statements take their turn between
 * transactions. A thread that dies (a crash, `terminate()`) fails what it was running and is
 * started again on the next statement.
 */
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { Worker } from 'node:worker_threads'
import { sqliteWorkerSource } from './sqlite-worker'
import type { SqliteFailure, SqliteRequest, SqliteResponse, SqliteResult, SqliteValue, SqliteWorkerData } from './sqlite-worker'

/** How the SQLite threads are set up. */
export interface SqliteWorkersOptions {
  file: string
  /** Reader threads (default 2: the machine's other cores are the writer and the event loop). */
  readers?: number
  /** How long a statement waits for another process's lock before failing with SQLITE_BUSY (ms). */
  busyTimeout?: number
}

/** An error from a SQLite thread, with the driver's code (`SQLITE_BUSY`, `SQLITE_FULL`, ...). */
export class SqliteError extends Error {
  readonly code: string | undefined
  constructor(failure: SqliteFailure) {
    super(failure.message)
    this.name = 'SqliteError'
    this.code = failure.code
  }
}

interface Pending {
  /** `null`: the statement would write and was not run (`onlyReads`). */
  resolve: (result: SqliteResult | null) => void
  reject: (error: Error) => void
}

// The module path is found from here, so a bundled server uses the copy traced into its own node_modules.
const driverPath = () => createRequire(import.meta.url).resolve('better-sqlite3')

/** One thread and its connection; started lazily, restarted after it dies. */
class SqliteThread {
  private worker: Worker | null = null
  private ready: Promise<Worker> | null = null
  private readonly pending = new Map<number, Pending>()
  private nextId = 1

  constructor(private readonly data: SqliteWorkerData) {}

  /** Statements sent and not answered yet (the reader pool picks the least busy thread). */
  get load(): number {
    return this.pending.size
  }

  private start(): Promise<Worker> {
    this.ready ??= new Promise<Worker>((resolve, reject) => {
      const worker = new Worker(sqliteWorkerSource(), { eval: true, workerData: this.data })
      let opened = false
      const fail = (error: Error) => {
        if (!opened) {
          opened = true
          this.ready = null
          reject(error)
          return
        }
        // A thread replaced by terminate() must not touch its successor's state.
        if (this.worker === worker) this.stopped(error)
      }
      worker.on('message', (message: SqliteResponse) => {
        switch (message.type) {
          case 'ready':
            opened = true
            this.worker = worker
            resolve(worker)
            return
          case 'failed':
            fail(new SqliteError(message.error))
            void worker.terminate()
            return
          case 'result':
          case 'writes':
          case 'error': {
            const waiting = this.pending.get(message.id)
            this.pending.delete(message.id)
            if (message.type === 'result') waiting?.resolve(message.result)
            else if (message.type === 'writes') waiting?.resolve(null)
            else waiting?.reject(new SqliteError(message.error))
            return
          }
          default:
            message satisfies never
        }
      })
      worker.on('error', fail)
      worker.on('exit', () => fail(new SqliteError({ message: 'the SQLite thread stopped', code: 'SQLITE_ABORT' })))
    })
    return this.ready
  }

  private stopped(error: Error): void {
    this.worker = null
    this.ready = null
    for (const { reject } of this.pending.values()) reject(error)
    this.pending.clear()
  }

  /** Runs one statement on this thread's connection. */
  async run(sql: string, params: SqliteValue[]): Promise<SqliteResult> {
    return (await this.send(sql, params, false))!
  }

  /** Runs one statement if it only reads rows; `null` (not run) when it would write. */
  runIfOnlyReads(sql: string, params: SqliteValue[]): Promise<SqliteResult | null> {
    return this.send(sql, params, true)
  }

  private async send(sql: string, params: SqliteValue[], onlyReads: boolean): Promise<SqliteResult | null> {
    const worker = await this.start()
    const id = this.nextId++
    return await new Promise<SqliteResult | null>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      worker.postMessage({ id, sql, params, onlyReads } satisfies SqliteRequest)
    })
  }

  /** Opens the connection now (so a file that cannot be opened fails at start-up). */
  async open(): Promise<void> {
    await this.start()
  }

  /** Stops the thread; statements in flight fail, the next one starts a new thread. */
  async terminate(): Promise<void> {
    const worker = this.worker
    if (!worker) return
    this.stopped(new SqliteError({ message: 'the SQLite thread was stopped', code: 'SQLITE_ABORT' }))
    await worker.terminate()
  }
}

/** A turn at the writer: `release()` lets the next writer in. */
export interface WriterTurn {
  release: () => void
}

/** The writer thread, the reader threads and the queue in front of the writer. */
export class SqliteWorkers {
  readonly writer: SqliteThread
  readonly readers: SqliteThread[]
  private writerQueue: Promise<void> = Promise.resolve()

  constructor({ file, readers = 2, busyTimeout = 5000 }: SqliteWorkersOptions) {
    mkdirSync(dirname(file), { recursive: true })
    const driver = driverPath()
    this.writer = new SqliteThread({ driver, file, role: 'writer', busyTimeout })
    this.readers = Array.from({ length: Math.max(1, readers) }, () => new SqliteThread({ driver, file, role: 'reader', busyTimeout }))
  }

  /** Opens the writer (which creates the file and turns on WAL), then the readers. */
  async open(): Promise<void> {
    await this.writer.open()
    await Promise.all(this.readers.map(reader => reader.open()))
  }

  /** Waits until no transaction or statement holds the writer, and holds it until `release()`. */
  async takeWriter(): Promise<WriterTurn> {
    let release!: () => void
    const mine = new Promise<void>((resolve) => {
      release = resolve
    })
    const before = this.writerQueue
    this.writerQueue = before.then(() => mine)
    await before
    let released = false
    return {
      release: () => {
        if (released) return
        released = true
        release()
      },
    }
  }

  /** Runs a read-only statement on the least busy reader. */
  read(sql: string, params: SqliteValue[]): Promise<SqliteResult> {
    return this.leastBusyReader().run(sql, params)
  }

  /**
   * Runs a statement whose kind is not known here (raw SQL) on the least busy reader when SQLite
   * says it only reads rows, else on the writer in its own turn.
   */
  async readOrWrite(sql: string, params: SqliteValue[]): Promise<SqliteResult> {
    return await this.leastBusyReader().runIfOnlyReads(sql, params) ?? await this.write(sql, params)
  }

  private leastBusyReader(): SqliteThread {
    return this.readers.reduce((best, next) => next.load < best.load ? next : best)
  }

  /** Runs one writing statement in its own turn at the writer. */
  async write(sql: string, params: SqliteValue[]): Promise<SqliteResult> {
    const turn = await this.takeWriter()
    try {
      return await this.writer.run(sql, params)
    }
    finally {
      turn.release()
    }
  }

  /** Stops every thread. */
  async close(): Promise<void> {
    await Promise.all([this.writer, ...this.readers].map(thread => thread.terminate()))
  }
}
