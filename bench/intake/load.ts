import autocannon from 'autocannon';

const [url, duration, connections, body] = process.argv.slice(2) as [string, string, string, string];
const result = await autocannon({ url, method: 'POST', duration: Number(duration), connections: Number(connections), headers: { 'content-type': 'application/json' }, body });
process.stdout.write(JSON.stringify({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors }));
