/**
 * A stand-alone SMTP listener process for crash tests: `node --import tsx listener-process.ts <spoolDir>`.
 * Prints `{"port":N}` on stdout once listening. Test support only.
 */
import { openSpool } from '../inbound/spool.js';
import { startSmtpListener } from '../inbound/smtp-listener.js';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: listener-process.ts <spoolDir>\n');
  process.exit(2);
}
const spool = await openSpool(dir);
const listener = await startSmtpListener({ spool, port: 0, acceptRecipients: ['@cert.example.tw'], maxClients: 200 });
process.stdout.write(JSON.stringify({ port: listener.port, pid: process.pid }) + '\n');
