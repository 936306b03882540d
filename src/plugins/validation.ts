import { Ajv, type ErrorObject } from 'ajv';
import addFormatsPkg from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { Invalid, type FieldProblem } from '../lib/errors.js';

// ajv-formats ships CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsPkg.default;

/**
 * Bodies are validated strictly (no type coercion, unknown fields rejected — never silently
 * dropped); query strings and params coerce, since they only ever arrive as text.
 */
export function installValidators(app: FastifyInstance): void {
  const strict = new Ajv({ allErrors: true, removeAdditional: false, coerceTypes: false, useDefaults: true, strict: false });
  const lenient = new Ajv({ allErrors: true, removeAdditional: false, coerceTypes: 'array', useDefaults: true, strict: false });
  addFormats(strict);
  addFormats(lenient);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : lenient).compile(schema));
}

/** Turns ajv errors into field problems with dotted paths (technical.sourceIps.0). */
export function ajvToProblems(errors: readonly Partial<ErrorObject>[], part: string): FieldProblem[] {
  return errors.map((e) => {
    let field = (e.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    let code = e.keyword ?? 'invalid';
    const params = (e.params ?? {}) as Record<string, unknown>;
    if (e.keyword === 'additionalProperties') {
      field = [field, String(params.additionalProperty)].filter(Boolean).join('.');
      code = 'unknown_field';
    } else if (e.keyword === 'required') {
      field = [field, String(params.missingProperty)].filter(Boolean).join('.');
      code = 'required';
    } else if (e.keyword === 'type') code = 'wrong_type';
    else if (e.keyword === 'maxLength' || e.keyword === 'maxItems') code = 'too_long';
    else if (e.keyword === 'minLength' || e.keyword === 'minItems') code = 'too_short';
    else if (e.keyword === 'enum' || e.keyword === 'const' || e.keyword === 'anyOf') code = 'not_allowed';
    return { field: field || part, code, message: e.message ?? code };
  });
}

const standalone = new Ajv({ allErrors: true, removeAdditional: false, coerceTypes: false, strict: false });
addFormats(standalone);
const compiled = new WeakMap<object, ReturnType<typeof standalone.compile>>();

/** Validates a value outside Fastify's pipeline (the JSON part of a multipart request). */
export function assertValid<T>(schema: object, value: unknown, part = 'body'): T {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = standalone.compile(schema);
    compiled.set(schema, validate);
  }
  if (!validate(value)) throw new Invalid('validation_failed', undefined, { details: ajvToProblems(validate.errors ?? [], part) });
  return value as T;
}
