import {
  type DatabaseConnection,
  type Dialect,
  type Driver,
  PostgresDialect,
  type PostgresDialectConfig,
  PostgresDriver,
  type TransactionSettings,
} from 'kysely';

/**
 * Kysely's driver, but a transaction's BEGIN is not waited for: on a client in pipeline mode
 * (store/db.ts) the transaction's first statement follows it on the wire at once, and the
 * transaction costs one round trip less. BEGIN fails only with its connection, and then so does
 * every statement after it: its own answer adds nothing.
 */
class PipelinedBeginDriver extends PostgresDriver {
  override async beginTransaction(
    connection: DatabaseConnection,
    settings: TransactionSettings,
  ): Promise<void> {
    super.beginTransaction(connection, settings).catch(() => {});
  }
}

/** PostgresDialect with PipelinedBeginDriver. */
export class PipelinedPostgresDialect implements Dialect {
  readonly #config: PostgresDialectConfig;
  readonly #dialect: PostgresDialect;

  constructor(config: PostgresDialectConfig) {
    this.#config = config;
    this.#dialect = new PostgresDialect(config);
  }

  createDriver(): Driver {
    return new PipelinedBeginDriver(this.#config);
  }

  createQueryCompiler() {
    return this.#dialect.createQueryCompiler();
  }

  createAdapter() {
    return this.#dialect.createAdapter();
  }

  createIntrospector(db: Parameters<PostgresDialect['createIntrospector']>[0]) {
    return this.#dialect.createIntrospector(db);
  }
}
