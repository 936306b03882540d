import { Type, type Static } from 'typebox';
import { SECTORS, TLP_VALUES } from '../incidents/taxonomy.js';

export const NOTIFY_MODES = ['immediate', 'daily', 'weekly'] as const;
export type NotifyMode = (typeof NOTIFY_MODES)[number];

export const ContactInputSchema = Type.Object(
  {
    /** An existing contact's id keeps that contact (and the notices naming it); without one, a contact with the same address is kept. */
    id: Type.Optional(Type.String({ format: 'uuid' })),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role: Type.String({ minLength: 1, maxLength: 100 }),
    email: Type.String({ minLength: 3, maxLength: 320, pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$' }),
    pgpKey: Type.Optional(Type.Union([Type.String({ maxLength: 200000, pattern: '^-----BEGIN PGP PUBLIC KEY BLOCK-----' }), Type.Null()])),
    language: Type.Union([Type.Literal('zh-TW'), Type.Literal('en')]),
    notifyMode: Type.Enum(NOTIFY_MODES),
    tlpCeiling: Type.Enum(TLP_VALUES),
    /** RSIT types (classification.type) this contact wants; empty: all. */
    eventTypes: Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 100 }),
  },
  { additionalProperties: false },
);
export type ContactInput = Static<typeof ContactInputSchema>;

const scopeFields = {
  netblocks: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 10000 })),
  asns: Type.Optional(Type.Array(Type.Union([Type.Integer({ minimum: 0 }), Type.String({ maxLength: 14 })]), { maxItems: 1000 })),
  domains: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 260 }), { maxItems: 10000 })),
  contacts: Type.Optional(Type.Array(ContactInputSchema, { maxItems: 50 })),
};

export const ConstituentInputSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 300 }),
    sector: Type.Enum(SECTORS),
    partnerId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    ...scopeFields,
  },
  { additionalProperties: false },
);
export type ConstituentInput = Static<typeof ConstituentInputSchema>;

export const ConstituentPatchSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    sector: Type.Optional(Type.Enum(SECTORS)),
    partnerId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    ...scopeFields,
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ConstituentPatch = Static<typeof ConstituentPatchSchema>;

export const ContactSchema = Type.Object({ ...ContactInputSchema.properties, id: Type.String(), pgpKey: Type.Union([Type.String(), Type.Null()]) });
export type Contact = Static<typeof ContactSchema>;

export const ConstituentSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  sector: Type.String(),
  partnerId: Type.Union([Type.String(), Type.Null()]),
  netblocks: Type.Array(Type.String()),
  asns: Type.Array(Type.Integer()),
  domains: Type.Array(Type.String()),
  /** Personal data: only reading one constituent returns them (audited); lists leave them empty. */
  contacts: Type.Array(ContactSchema),
  contactCount: Type.Integer({ minimum: 0 }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type Constituent = Static<typeof ConstituentSchema>;

export const ImportResultSchema = Type.Object({ created: Type.Integer(), updated: Type.Integer(), rows: Type.Integer() });
