import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, TooManyRequests, type FieldProblem } from '../lib/errors.js';
import { pickLanguage, translate } from '../lib/i18n.js';
import { ajvToProblems } from './validation.js';

export interface ApiError {
  error: { code: string; message: string; details?: FieldProblem[] };
}

function send(reply: FastifyReply, req: FastifyRequest, status: number, code: string, params: Record<string, string | number> = {}, details?: FieldProblem[]) {
  const language = pickLanguage(req.headers['accept-language']);
  const body: ApiError = { error: { code, message: translate(code, language, params), ...(details?.length ? { details } : {}) } };
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

/** One error shape for the whole API; 5xx never shows internals. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | DomainError | Error, req, reply) => {
    if (err instanceof DomainError) {
      if (err instanceof TooManyRequests) reply.header('retry-after', String(err.retryAfterSeconds));
      return send(reply, req, err.status, err.code, err.params, err.details);
    }
    const fe = err as FastifyError;
    if (fe.validation) return send(reply, req, 400, 'validation_failed', {}, ajvToProblems(fe.validation, fe.validationContext ?? 'body'));
    switch (fe.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
      case 'FST_REQ_FILE_TOO_LARGE':
      case 'FST_PARTS_LIMIT':
      case 'FST_FILES_LIMIT':
        return send(reply, req, 413, 'payload_too_large');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
        return send(reply, req, 415, 'unsupported_media_type');
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return send(reply, req, 400, 'invalid_json');
    }
    if (err instanceof SyntaxError || fe.statusCode === 400) return send(reply, req, 400, 'invalid_json');
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return send(reply, req, fe.statusCode, fe.statusCode === 413 ? 'payload_too_large' : fe.statusCode === 415 ? 'unsupported_media_type' : 'validation_failed');
    req.log.error({ err }, 'unhandled error');
    return send(reply, req, 500, 'internal_error');
  });
}

export function sendNotFound(req: FastifyRequest, reply: FastifyReply) {
  return send(reply, req, 404, 'route_not_found');
}
