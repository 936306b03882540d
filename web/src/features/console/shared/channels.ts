export const CHANNELS = ['web-general', 'web-advanced', 'email', 'phone', 'api'] as const;
