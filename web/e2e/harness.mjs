// What the browser test needs around the browser: a real `fanzha serve` on a free loopback
// port with a fresh SQLite store and users made by the CLI, a small API client for setting up
// and reading back, and a check counter that ends with the "N passed, N failed" line.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) out[argv[i].slice(2)] = argv[i + 1];
  }
  return out;
}

// ---- checks -------------------------------------------------------------------------------
let passed = 0;
let failed = 0;
export async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
    return true;
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
    return false;
  }
}
export function summary() {
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0;
}
export function expect(cond, message) {
  if (!cond) throw new Error(message);
}

// ---- the server ---------------------------------------------------------------------------
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function fanzhaSync(bin, args, input) {
  const r = spawnSync(bin, args, { input, encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) {
    throw new Error(`fanzha ${args.join(' ')} exited ${r.status}: ${r.stderr || r.stdout}`);
  }
  return r.stdout;
}

export class Server {
  constructor(bin, webRoot) {
    this.bin = bin;
    this.webRoot = webRoot;
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'fz-web-e2e-'));
    this.db = path.join(this.dir, 'fanzha.db');
    this.log = [];
  }

  cli(args, input) {
    return fanzhaSync(this.bin, [...args, '--db', `sqlite:${this.db}`], input);
  }

  // A fresh store at the current schema (users and the server need it).
  migrate() {
    this.cli(['db', 'migrate']);
  }

  // A user with a password typed on standard input, as an admin would create one.
  addUser(name, role, unit, password) {
    this.cli(['users', 'add', '--name', name, '--role', role, '--unit', unit, '--password-stdin'],
      `${password}\n`);
  }

  addFeed(name, unit) {
    this.cli(['users', 'add', '--name', name, '--role', 'feed', '--unit', unit, '--machine']);
    const out = this.cli(['users', 'api-key', '--name', name, '--label', 'e2e directive feed']).trim();
    // The key is the last word printed (the CLI may say what it is first).
    return out.split(/\s+/).pop();
  }

  // `workflowToml`: a workflow config (docs/workflow.md "Configuration") for the server, e.g.
  // short SLA clocks so that an escalation happens while the test runs.
  async start({ workflowToml } = {}) {
    this.port = await freePort();
    this.base = `http://127.0.0.1:${this.port}`;
    const root = path.resolve(this.webRoot, '..', '..');
    // A copy of the default rules: a reload through the console rewrites the rules file.
    const rules = path.join(this.dir, 'rules.toml');
    copyFileSync(path.join(root, 'rules', 'default.toml'), rules);
    const args = ['serve', '--db', `sqlite:${this.db}`, '--listen', `127.0.0.1:${this.port}`,
      '--rules', rules, '--state-dir', path.join(this.dir, 'state'),
      '--web-root', this.webRoot];
    if (workflowToml) {
      const wf = path.join(this.dir, 'workflow.toml');
      writeFileSync(wf, workflowToml);
      args.push('--workflow-config', wf);
    }
    this.proc = spawn(this.bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (d) => {
      this.log.push(d.toString());
      if (this.log.length > 400) this.log.shift();
    };
    this.proc.stdout.on('data', keep);
    this.proc.stderr.on('data', keep);
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, sig) => resolve({ code, sig })));
    for (let i = 0; i < 300; i++) {
      if (this.proc.exitCode !== null) break;
      try {
        const r = await fetch(`${this.base}/api/ready`);
        if (r.ok) return;
      } catch (e) {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`fanzha serve did not become ready:\n${this.log.join('')}`);
  }

  async stop() {
    if (this.proc && this.proc.exitCode === null) {
      this.proc.kill('SIGTERM');
      const killer = setTimeout(() => this.proc.kill('SIGKILL'), 15000);
      const { code, sig } = await this.exited;
      clearTimeout(killer);
      if (code !== 0 && sig !== 'SIGTERM') console.log(`server exit ${code} ${sig}:\n${this.log.join('')}`);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  async api(method, route, { token, apiKey, body } = {}) {
    const headers = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (apiKey) headers['X-Api-Key'] = apiKey;
    const r = await fetch(`${this.base}${route}`, { method, headers,
      body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    let data = text;
    try {
      data = JSON.parse(text);
    } catch (e) {
      // not JSON
    }
    if (!r.ok) throw new Error(`${method} ${route} → ${r.status}: ${text}`);
    return data;
  }

  async login(user, password) {
    return (await this.api('POST', '/api/auth/login', { body: { user, password } })).token;
  }
}

// Waits until fn() answers a truthy value (polling), or fails naming what it waited for.
export async function until(what, fn, timeoutMs = 15000) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what} (last: ${last})`);
}
