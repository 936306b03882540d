import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { as, type Session, type TestApp } from './helpers/app.js';

export const FIXTURES = resolve(import.meta.dirname, '../src/modules/feeds/engine/fixtures');
export const fixture = (name: string) => readFileSync(join(FIXTURES, name));

/** A multipart upload as the console sends it. */
export async function upload(t: TestApp, s: Session, feedId: string, name: string, data: Buffer | string): Promise<LightMyRequestResponse> {
  const form = new FormData();
  form.append('file', new Blob([typeof data === 'string' ? data : new Uint8Array(data)]), name);
  const res = new Response(form);
  return as(t, s, { method: 'POST', url: `/api/v1/feeds/${feedId}/import`, payload: Buffer.from(await res.arrayBuffer()), headers: { 'content-type': res.headers.get('content-type')! } });
}

export const SCAN_HTTP_HEADER = '"timestamp","ip","protocol","port","hostname","tag","asn","geo","region","city","naics","hostname_source","sector","http","http_code","http_reason","content_type","connection","www_authenticate","set_cookie","server","content_length","transfer_encoding","http_date","severity"';
export const scanHttpRow = (ts: string, ip: string, port = 80) => `"${ts}","${ip}","tcp",${port},"","http","64500","TW","TAIPEI","TAIPEI",0,"","","HTTP/1.1",200,"OK","text/html","close","","","nginx",10,"","","medium"`;
