// One Vexil server per suite, as Flipt's CI gives each suite a fresh Flipt: a free port on
// 127.0.0.1, a new SQLite file or a new PostgreSQL database (dropped afterwards), and an admin
// token it is bootstrapped with (Flipt's `--flipt-token`). Its log goes to a file that is
// printed when the suite fails.
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, openSync, readFileSync, closeSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PG_ADMIN = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const psql = (sql) => execFileSync('psql', [PG_ADMIN, '-qtAc', sql], { stdio: ['ignore', 'pipe', 'pipe'] });

export async function startServer(bin, backend, suite, env = {}) {
  const dir = mkdtempSync(join(tmpdir(), `vexil-flipt-${suite}-`));
  const port = await freePort();
  const token = randomBytes(32).toString('base64url');
  let database;
  let pgName;
  if (backend === 'postgres') {
    pgName = `vexil_flipt_${suite}_${process.pid}`;
    psql(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`);
    psql(`CREATE DATABASE ${pgName}`);
    database = `${PG_ADMIN.replace(/\/[^/]*$/, '')}/${pgName}`;
  } else {
    database = `sqlite://${join(dir, 'vexil.db')}`;
  }
  const logPath = join(dir, 'server.log');
  const log = openSync(logPath, 'a');
  const child = spawn(bin, ['serve'], {
    env: {
      ...process.env,
      VEXIL_LISTEN: `127.0.0.1:${port}`,
      VEXIL_DATABASE_URL: database,
      VEXIL_LOG_LEVEL: 'warn',
      VEXIL_BOOTSTRAP_TOKEN: token,
      ...env,
    },
    stdio: ['ignore', log, log],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise((resolve) => child.on('exit', resolve));
  // Up to 30 s for the migrations and the listener (100 ms apart).
  for (let i = 0; ; i++) {
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {}
    if (child.exitCode !== null || i >= 300) {
      closeSync(log);
      throw new Error(`the server did not start on ${url}:\n${readFileSync(logPath, 'utf8')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    token,
    dir,
    database,
    log: () => readFileSync(logPath, 'utf8'),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      closeSync(log);
      if (pgName) psql(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
