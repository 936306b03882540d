/**
 * The load side of bench/mail, run pinned to CPU 1: sends `count` copies of a message over
 * `connections` pooled SMTP connections (nodemailer) and reports SMTP transaction latencies.
 * Each copy carries its own X-Bench-Seq header line.
 */
import { readFileSync } from 'node:fs';
import { createTransport } from 'nodemailer';

const [port, file, countArg, connectionsArg] = process.argv.slice(2) as [string, string, string, string];
const raw = readFileSync(file);
const count = Number(countArg);
const connections = Number(connectionsArg);
const transport = createTransport({ host: '127.0.0.1', port: Number(port), secure: false, ignoreTLS: true, pool: true, maxConnections: connections, maxMessages: Infinity });
const latencies: number[] = [];
let failed = 0;
let next = 0;
const startedAt = Date.now();
async function worker() {
  while (next < count) {
    const seq = next++;
    // Every copy differs by one header line, so intake files each as its own report (it
    // deduplicates identical bytes).
    const message = Buffer.concat([Buffer.from(`X-Bench-Seq: ${seq}\r\n`), raw]);
    const t = performance.now();
    try {
      await transport.sendMail({ envelope: { from: 'reporter@example.com.tw', to: ['cert@cert.example.tw'] }, raw: message });
      latencies.push(performance.now() - t);
    } catch {
      failed++;
    }
  }
}
await Promise.all(Array.from({ length: connections }, worker));
const endedAt = Date.now();
transport.close();
latencies.sort((a, b) => a - b);
const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0);
process.stdout.write(JSON.stringify({ startedAt, endedAt, sent: latencies.length, failed, p50: pct(50), p99: pct(99) }));
