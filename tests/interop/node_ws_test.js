#!/usr/bin/env node
// Interoperability: a client no one here wrote -- Node's `ws`, installed from npm into a
// temporary folder -- plays a whole session against alphammo-server from docs/protocol.md
// alone: register, log in, create a character, enter the world, 100 moves, chat, leave. The
// same steps and checks as python_websockets_test.py.
//
// Usage: node node_ws_test.js SERVER_BINARY
// Exit status 0 when every step worked; 77 (skipped) without npm or when npm's registry cannot
// be reached.
'use strict';

const childProcess = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const tls = require('tls');

const TIMEOUT = 10000;  // milliseconds, for any single answer
const MOVES = 100;
const NPM_TIMEOUT = 120000;

function skip(why) {
  console.log(`${why}: skipped`);
  process.exit(77);
}

function fail(why) { throw new Error(why); }

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// npm next to this node, else on PATH.
function findNpm() {
  const beside = path.join(path.dirname(process.execPath), 'npm');
  if (fs.existsSync(beside)) return beside;
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, 'npm'))) return path.join(dir, 'npm');
  }
  return null;
}

// `npm install --prefix DIR ws`, bounded; returns the ws module. Skips when npm is missing
// or its registry cannot be reached; fails on any other npm error.
function installWs(dir) {
  const npm = findNpm();
  if (!npm) skip('npm is not installed');
  const args = ['install', '--prefix', dir, 'ws', '--no-audit', '--no-fund', '--loglevel=error'];
  const r = childProcess.spawnSync(npm, args, {timeout: NPM_TIMEOUT, encoding: 'utf8'});
  const output = `${r.stdout || ''}${r.stderr || ''}`;
  if (r.error && r.error.code === 'ETIMEDOUT') {
    skip(`npm install ws took more than ${NPM_TIMEOUT / 1000} s (registry unreachable?)`);
  }
  if (r.error) skip(`npm could not run (${r.error.message})`);
  if (r.status !== 0) {
    process.stdout.write(output);
    const unreachable =
        /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|network|proxy/i;
    if (unreachable.test(output)) skip('npm\'s registry cannot be reached');
    fail(`npm install ws exited with ${r.status}`);
  }
  const ws = require(path.join(dir, 'node_modules', 'ws'));
  const version = require(path.join(dir, 'node_modules', 'ws', 'package.json')).version;
  console.log(`ws ${version} installed from npm`);
  return ws;
}

// Starts alphammo-server on a free port; its log goes to a file (a pipe nobody reads could
// fill up and stall it). Resolves to {server, port, pin, log}.
async function startServer(binary, dataDir) {
  const logPath = path.join(dataDir, 'server.log');
  const logFd = fs.openSync(logPath, 'w');
  const server = childProcess.spawn(
      binary,
      ['--port', '0', '--data-dir', dataDir, '--no-record', '--log-level', 'info'],
      {stdio: ['ignore', logFd, logFd]},
  );
  fs.closeSync(logFd);
  const log = () => fs.readFileSync(logPath, 'utf8');
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline && server.exitCode === null) {
    const text = log();
    const pin = /SHA-256 fingerprint ([0-9A-Fa-f:]+)/.exec(text);
    const port = /listening on wss:\/\/127\.0\.0\.1:(\d+)\//.exec(text);
    if (pin && port) return {server, port: Number(port[1]), pin: pin[1], log};
    await sleep(50);
  }
  server.kill('SIGKILL');
  process.stdout.write(log());
  return fail('the server did not start');
}

// SIGTERM, then SIGKILL after 15 s; resolves to the exit status.
function stopServer(server) {
  if (server.exitCode !== null) return Promise.resolve(server.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.kill('SIGKILL'), 15000);
    server.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code === null ? signal : code);
    });
    server.kill('SIGTERM');
  });
}

const samePin = (a, b) => a.replace(/:/g, '').toLowerCase() === b.replace(/:/g, '').toLowerCase();

// The server's self-signed certificate as PEM, fetched once and accepted only if its SHA-256
// fingerprint is the pin. It then serves as the one trusted CA: TLS verification stays on.
function pinnedCertificate(port, pin) {
  return new Promise((resolve, reject) => {
    const socket =
        tls.connect({host: '127.0.0.1', port, servername: '', rejectUnauthorized: false});
    socket.setTimeout(TIMEOUT, () => socket.destroy(new Error('TLS handshake timed out')));
    socket.on('error', reject);
    socket.on('secureConnect', () => {
      const der = socket.getPeerCertificate(false).raw;
      socket.end();
      const digest = crypto.createHash('sha256').update(der).digest('hex');
      if (!samePin(digest, pin)) return reject(new Error('certificate fingerprint mismatch'));
      const base64 = der.toString('base64').replace(/.{64}/g, '$&\n');
      return resolve(`-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`);
    });
  });
}

// One WebSocket connection speaking the session protocol. Messages are queued as they come;
// receive() takes the next one.
class Client {
  static open(WebSocket, port, pin, ca) {
    const ws = new WebSocket(`wss://127.0.0.1:${port}/`, {
      ca,
      servername: '',
      // The certificate is verified against `ca`; instead of the host name (a self-signed
      // certificate names none we dial), its fingerprint must be the pin.
      checkServerIdentity: (host, cert) => samePin(cert.fingerprint256, pin) ?
          undefined :
          new Error('certificate fingerprint mismatch'),
      maxPayload: 4 * 1024 * 1024,
      handshakeTimeout: TIMEOUT,
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new Client(ws)));
      ws.once('error', reject);
    });
  }

  constructor(ws) {
    this.ws = ws;
    this.seq = 0;
    this.ticks = [];  // tick messages seen while waiting for answers
    this.inbox = [];
    this.waiting = null;
    this.ended = null;
    ws.on('message', (data, isBinary) => {
      if (isBinary) return this.end(new Error('the server sent a binary frame'));
      this.inbox.push(JSON.parse(data.toString('utf8')));
      this.wake();
    });
    ws.on('error', (e) => this.end(e));
    ws.on('close', (code) => this.end(new Error(`the server closed the connection (${code})`)));
  }

  end(error) {
    if (!this.ended) this.ended = error;
    this.wake();
  }

  wake() {
    if (this.waiting) this.waiting();
  }

  async receive() {
    const deadline = Date.now() + TIMEOUT;
    while (this.inbox.length === 0) {
      if (this.ended) throw this.ended;
      const left = deadline - Date.now();
      if (left <= 0) fail(`no message within ${TIMEOUT / 1000} s`);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiting = null;
    }
    return this.inbox.shift();
  }

  // Sends a request; returns its one answer (ticks in between are kept).
  async ask(message) {
    this.ws.send(JSON.stringify(message));
    for (;;) {
      const answer = await this.receive();
      if (answer.type !== 'tick') return answer;
      this.ticks.push(answer);
    }
  }

  // Sends a world command; returns the tick that acknowledges it and whether the world refused
  // it (its rejection reason, or null).
  async command(command) {
    const seq = ++this.seq;
    this.ws.send(JSON.stringify({type: 'command', seq, command}));
    for (;;) {
      const message = await this.receive();
      if (message.type === 'error') fail(`command ${seq} refused: ${JSON.stringify(message)}`);
      if (message.type !== 'tick') continue;
      this.ticks.push(message);
      const refused = message.rejections.filter((r) => r.seq === seq).map((r) => r.reason);
      if (refused.length > 0 || message.ack_seq >= seq) {
        return [message, refused.length > 0 ? refused[0] : null];
      }
    }
  }

  close() {
    return new Promise((resolve) => {
      if (this.ws.readyState === this.ws.CLOSED) return resolve();
      this.ws.once('close', resolve);
      this.ws.close(1000);
    });
  }
}

function expect(answer, type) {
  if (answer.type !== type) fail(`expected ${type}, got ${JSON.stringify(answer)}`);
  return answer;
}

function check(condition, what) {
  if (!condition) fail(what);
}

async function play(WebSocket, port, pin) {
  const ca = await pinnedCertificate(port, pin);

  // A wrong pin is refused before the WebSocket opens.
  const wrong = await Client.open(WebSocket, port, '00'.repeat(32), ca)
                    .then(
                        () => null,
                        (e) => e,
                    );
  check(
      wrong && /fingerprint mismatch/.test(wrong.message),
      `a wrong pin was not refused (${wrong})`);

  let c = await Client.open(WebSocket, port, pin, ca);
  console.log('extensions:', c.ws.extensions || 'none');
  const welcome = expect(await c.ask({type: 'hello', protocol_version: 1}), 'welcome');
  console.log('welcome:', welcome.server, welcome.tick_rate, 'Hz');
  expect(
      await c.ask({type: 'register', username: 'node_bot', password: 's3cret pw'}), 'characters');
  await c.close();

  // A second connection logs in to the account the first one made.
  c = await Client.open(WebSocket, port, pin, ca);
  expect(await c.ask({type: 'hello', protocol_version: 1}), 'welcome');
  const listed = expect(
      await c.ask({type: 'login', username: 'NODE_BOT', password: 's3cret pw'}),
      'characters',
  );
  check(listed.list.length === 0, JSON.stringify(listed));
  const created = expect(
      await c.ask({
        type: 'create_character',
        name: 'Nodey',
        body: 1,
        hair_style: 2,
        hair_colour: '#884422',
      }),
      'characters',
  );
  const character = created.list[0].id;
  const entered = expect(await c.ask({type: 'enter_world', character_id: character}), 'entered');
  const me = JSON.stringify(entered.you);  // an id is [index, generation]: compared as text
  const isMe = (id) => JSON.stringify(id) === me;
  const start = entered.character.position;
  const stepTime = (10 / entered.character.speed) * 1000;  // speed: tenths of a tile per second
  console.log('entered as', me, 'at', JSON.stringify(start));

  // 100 moves applied by the world: east and west by turns, a refused step tried again
  // (cooldown) or the other way (blocked, occupied).
  let applied = 0;
  let refused = 0;
  let direction = 'east';
  const turn = () => (direction === 'east' ? 'west' : 'east');
  while (applied < MOVES) {
    if (applied + refused > 4 * MOVES)
      fail(`only ${applied} of ${MOVES} moves applied, ${refused} refused`);
    const [, reason] = await c.command({type: 'move', direction});
    if (reason === null) {
      applied += 1;
      direction = turn();
      await sleep(stepTime);  // the move cooldown
    } else {
      refused += 1;
      if (reason === 'cooldown')
        await sleep(50);
      else
        direction = turn();
    }
  }
  let moved = 0;
  for (const t of c.ticks)
    for (const d of t.deltas)
      if (d.type === 'moved' && isMe(d.id)) moved += 1;
  console.log(`${applied} moves applied (${refused} refused), ${moved} moved deltas seen`);
  check(moved >= MOVES, `only ${moved} moved deltas`);

  // Chat: heard back as a `said` delta with our id and text.
  const text = 'hello from Node ws';
  const saidOurs = (t) =>
      t.type === 'tick' && t.deltas.some((d) => d.type === 'said' && isMe(d.id) && d.text === text);
  const [, reason] = await c.command({type: 'say', text});
  check(reason === null, `say refused: ${reason}`);
  let heard = c.ticks.some(saidOurs);
  for (let i = 0; i < 100 && !heard; i += 1)
    heard = saidOurs(await c.receive());
  check(heard, 'our chat line never came back');

  const pong = expect(await c.ask({type: 'ping', nonce: 42}), 'pong');
  check(pong.nonce === 42, JSON.stringify(pong));
  const left = expect(await c.ask({type: 'leave_world'}), 'characters');
  check(left.list[0].name === 'Nodey', JSON.stringify(left));
  console.log('left the world; characters:', left.list.map((x) => x.name));
  await c.close();
}

async function main() {
  const binary = process.argv[2];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'alphammo-node-ws-'));
  let status = 0;
  try {
    const WebSocket = installWs(path.join(tmp, 'npm'));
    const dataDir = path.join(tmp, 'data');
    fs.mkdirSync(dataDir);
    const {server, port, pin, log} = await startServer(binary, dataDir);
    try {
      let timer;
      const limit = new Promise((resolve, reject) => {
        timer = setTimeout(() => reject(new Error('the session took more than 120 s')), 120000);
      });
      await Promise.race([play(WebSocket, port, pin), limit]).finally(() => clearTimeout(timer));
    } finally {
      status = await stopServer(server);
      for (const line of log().split('\n'))
        if (line) console.log(`server: ${line}`);
    }
    if (status !== 0) fail(`the server exited with ${status}`);
  } finally {
    fs.rmSync(tmp, {recursive: true, force: true});
  }
  console.log('node ws interop: ok');
}

main().catch((e) => {
  console.error(`node ws interop: ${e.message}`);
  process.exit(1);
});
