/** Outbound mail: PGP/MIME composition, bilingual templates, sending through the relay. */
export {
  composeMessage,
  type ComposeInput,
  type ComposeSecurity,
  type ComposedMessage,
  type EncryptionPolicy,
  type OutboundAddress,
  type OutboundRecipient,
  type OutboundAttachment,
} from './compose.js';
export { createRelayTransport, sendRaw, classifySendError, type RelayConfig, type RelayTransport, type DsnRequest, type SendEnvelope, type SendResult } from './send.js';
export {
  DEFAULT_TEMPLATES,
  TEMPLATE_VARIABLES,
  MAIL_LANGUAGES,
  renderMail,
  renderTemplateText,
  validateTemplate,
  placeholders,
  type MailLanguage,
  type MailTemplate,
  type TemplateKey,
  type TemplateSet,
  type TemplateVariables,
  type RenderedMail,
  type RenderOptions,
} from './templates.js';
export { newMessageId, ownMessageIdMatcher } from './message-id.js';
