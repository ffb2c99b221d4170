/**
 * Where a database data connection leads: a host the state file declares is served by the embedded
 * PostgreSQL (PGlite); any other host is a real server reached with node-postgres, so an unknown or
 * unreachable host fails the reload as it would in Qlik Cloud.
 */
import { databaseProperties, type DatabaseProperties } from './connect-string.js';
import { EmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres.js';
import type { OpenConnection } from './interpreter.js';
import { openPostgres } from './postgres.js';
import { StatementError } from './errors.js';

/** A data connection as a tenant stores it, to open for `LIB CONNECT TO`. */
export interface DataConnection {
  readonly type: string;
  readonly connectStatement: string;
  /** Credentials kept apart from the connect statement (win over any in it). */
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  /** How the reload log names it. */
  readonly description: string;
}

const NAMES_A_HOST = /(^|[;"\s])(host|server)\s*=/i;

export class Databases {
  readonly embedded: EmbeddedPostgres;

  constructor(declarations: readonly EmbeddedDatabase[] = []) {
    this.embedded = new EmbeddedPostgres(declarations);
  }

  /**
   * Opens a connection as `LIB CONNECT TO` does: a PostgreSQL connection whose connect statement
   * names a host connects for real; any other kind (folder, REST...) connects, but SQL through it fails.
   */
  async connect(connection: DataConnection): Promise<OpenConnection> {
    if (!/postgres/i.test(connection.type) || !NAMES_A_HOST.test(connection.connectStatement)) {
      const refusal = new StatementError(
        `The simulator cannot run SQL through a '${connection.type}' connection`,
        'SQL_ERROR',
      );
      return {
        description: connection.description,
        query: () => Promise.reject(refusal),
        close: () => Promise.resolve(),
      };
    }
    const props = databaseProperties(connection.connectStatement, {
      user: connection.user,
      password: connection.password,
    });
    return { ...(await this.open(props)), description: connection.description };
  }

  open(props: DatabaseProperties): Promise<OpenConnection> {
    return this.embedded.serves(props.host) ? this.embedded.open(props) : openPostgres(props);
  }

  close(): Promise<void> {
    return this.embedded.close();
  }
}

export type { EmbeddedDatabase } from './embedded-postgres.js';
