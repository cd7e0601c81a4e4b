/**
 * The only module that knows about @vscode/webview-ui-toolkit (deprecated upstream): the rest of the
 * UI builds elements through these functions, so the toolkit can be replaced here alone.
 */
import {
  provideVSCodeDesignSystem,
  vsCodeBadge,
  vsCodeButton,
  vsCodeDivider,
  vsCodeLink,
  vsCodeProgressRing,
  vsCodeTextArea,
} from '@vscode/webview-ui-toolkit';

let registered = false;

/** Defines the custom elements once (before the first render). */
export function registerComponents(): void {
  if (registered) return;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeTextArea(), vsCodeBadge(), vsCodeDivider(), vsCodeProgressRing(), vsCodeLink());
  registered = true;
}

export interface ButtonOptions {
  label: string;
  appearance?: 'primary' | 'secondary' | 'icon';
  /** A codicon-free text button; `title` is the tooltip. */
  title?: string;
  disabled?: boolean;
  testId?: string;
  onClick(): void;
}

export function button(options: ButtonOptions): HTMLElement {
  const el = document.createElement('vscode-button');
  el.textContent = options.label;
  el.setAttribute('appearance', options.appearance ?? 'primary');
  if (options.title) el.title = options.title;
  if (options.disabled) el.setAttribute('disabled', '');
  if (options.testId) el.dataset.testid = options.testId;
  el.addEventListener('click', () => {
    if (!el.hasAttribute('disabled')) options.onClick();
  });
  return el;
}

export interface TextAreaOptions {
  placeholder: string;
  value: string;
  disabled?: boolean;
  rows?: number;
  testId?: string;
  onInput(value: string): void;
}

export function textArea(options: TextAreaOptions): HTMLElement {
  const el = document.createElement('vscode-text-area') as HTMLElement & { value: string };
  el.setAttribute('placeholder', options.placeholder);
  el.setAttribute('rows', String(options.rows ?? 3));
  el.setAttribute('resize', 'vertical');
  el.value = options.value;
  if (options.disabled) el.setAttribute('disabled', '');
  if (options.testId) el.dataset.testid = options.testId;
  el.addEventListener('input', () => options.onInput(el.value));
  return el;
}

export function badge(text: string, testId?: string): HTMLElement {
  const el = document.createElement('vscode-badge');
  el.textContent = text;
  if (testId) el.dataset.testid = testId;
  return el;
}

export function divider(): HTMLElement {
  return document.createElement('vscode-divider');
}

export function spinner(): HTMLElement {
  return document.createElement('vscode-progress-ring');
}

export interface SelectOptions {
  options: { value: string; label: string }[];
  value: string;
  /** Shown (disabled) when there are no options. */
  placeholder: string;
  testId?: string;
  onChange(value: string): void;
}

/** A native <select> in the theme's dropdown colours (see style.css). */
export function select(options: SelectOptions): HTMLElement {
  const el = document.createElement('select');
  el.className = 'dropdown';
  if (options.testId) el.dataset.testid = options.testId;
  if (!options.options.length) {
    el.append(new Option(options.placeholder, ''));
    el.disabled = true;
  }
  for (const option of options.options) el.append(new Option(option.label, option.value, false, option.value === options.value));
  el.addEventListener('change', () => options.onChange(el.value));
  return el;
}
