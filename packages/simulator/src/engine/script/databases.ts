/**
 * Where a database data connection leads: a host the state file declares is served by the embedded
 * PostgreSQL (PGlite); any other host is a real server reached with node-postgres, so an unknown or
 * unreachable host fails the reload as it would in Qlik Cloud.
 */
import type { DatabaseProperties } from './connect-string.js';
import { EmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres.js';
import type { OpenConnection } from './interpreter.js';
import { openPostgres } from './postgres.js';

export class Databases {
  readonly embedded: EmbeddedPostgres;

  constructor(declarations: readonly EmbeddedDatabase[] = []) {
    this.embedded = new EmbeddedPostgres(declarations);
  }

  open(props: DatabaseProperties): Promise<OpenConnection> {
    return this.embedded.serves(props.host) ? this.embedded.open(props) : openPostgres(props);
  }

  close(): Promise<void> {
    return this.embedded.close();
  }
}

export type { EmbeddedDatabase } from './embedded-postgres.js';
