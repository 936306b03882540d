import { createTheme, darken, DEFAULT_THEME, isLightColor, luminance } from '@mantine/core';
import type { CSSVariablesResolver } from '@mantine/core';

const FONT =
  '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Noto Sans TC", "PingFang TC", "Microsoft JhengHei", Helvetica, Arial, sans-serif';

export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 8 },
  autoContrast: true,
  defaultRadius: 'sm',
  fontFamily: FONT,
  headings: { fontFamily: FONT },
});

function contrastWithWhite(color: string): number {
  return 1.05 / (luminance(color) + 0.05);
}

/** Darkens a colour in small steps until it reaches the contrast ratio against white. */
function darkenUntil(color: string, ratio: number): string {
  let result = color;
  for (let step = 0; step < 20 && contrastWithWhite(result) < ratio; step += 1) result = darken(color, (step + 1) * 0.05);
  return result;
}

/**
 * Mantine's default palette puts several text colours under WCAG AA (4.5:1) in the light scheme:
 * light-variant text (yellow-9 on yellow-1 is 2.7:1), filled green/red with white text, dimmed
 * gray-6. These overrides keep every text readable; axe-core checks them in the browser tests.
 */
function accessibleColorVariables(): Record<string, string> {
  const variables: Record<string, string> = {};
  const primary = 8;
  for (const [name, palette] of Object.entries(DEFAULT_THEME.colors)) {
    const text = darkenUntil(palette[9], 7.2); // readable on the tinted light and light-hover backgrounds too
    variables[`--mantine-color-${name}-text`] = text;
    variables[`--mantine-color-${name}-light-color`] = text;
    variables[`--mantine-color-${name}-outline`] = text;
    const filled = palette[primary];
    if (!isLightColor(filled, DEFAULT_THEME.luminanceThreshold)) {
      // autoContrast writes white on these: make the background dark enough for it.
      const dark = darkenUntil(filled, 4.6);
      variables[`--mantine-color-${name}-filled`] = dark;
      variables[`--mantine-color-${name}-filled-hover`] = darken(dark, 0.12);
    }
  }
  return variables;
}

const lightVariables = accessibleColorVariables();

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    ...lightVariables,
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-6)',
    '--mantine-color-anchor': 'var(--mantine-color-blue-9)',
  },
  dark: {},
});
