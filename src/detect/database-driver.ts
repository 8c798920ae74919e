// Which database a query builder or ORM talks to when its own configuration cannot be read: the
// driver its package installs.
import type { ProjectPackage } from '../project/types.js';

export const DRIVER_DATABASES: Record<string, string> = {
  pg: 'postgresql',
  postgres: 'postgresql',
  postgresql: 'postgresql',
  mysql: 'mysql',
  mysql2: 'mysql',
  mariadb: 'mysql',
  sqlite3: 'sqlite',
  'better-sqlite3': 'sqlite',
  mssql: 'sqlserver',
  tedious: 'sqlserver',
};

export function installedDatabase(pkg: ProjectPackage): string | undefined {
  const driver = Object.keys(DRIVER_DATABASES).find((name) => pkg.dependencies.has(name));
  return driver ? DRIVER_DATABASES[driver] : undefined;
}
