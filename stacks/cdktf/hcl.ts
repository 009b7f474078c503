import { Token, ref } from 'cdktf';

/**
 * Terraform expressions written as text. cdktf's own expression builders drop
 * falsy literals (`== ""` renders as `== undefined`, `> 0` as `> undefined`) and do
 * not escape string literals, so every expression this stack needs is spelled out
 * here and handed to cdktf as a raw reference token.
 *
 * @see https://developer.hashicorp.com/terraform/language/expressions
 */
export function expression(text: string): string {
  return Token.asString(ref(text));
}

/** The same raw expression where cdktf expects a number (`count`). */
export function numberExpression(text: string): number {
  return Token.asNumber(ref(text));
}

/** The same raw expression where cdktf expects a boolean attribute. */
export function booleanExpression(text: string): boolean {
  return Token.asAny(ref(text)) as unknown as boolean;
}

/**
 * A quoted Terraform string literal: backslashes and quotes escaped, and the template
 * sequences `${` and `%{` doubled so the value is taken literally.
 * @see https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences
 */
export function stringLiteral(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{');
  return `"${escaped}"`;
}

/** A Terraform list literal of strings. */
export function stringListLiteral(values: readonly string[]): string {
  return `[${values.map(stringLiteral).join(', ')}]`;
}

/** `var.<name>` */
export function variableReference(name: string): string {
  return `var.${name}`;
}

/** `local.<name>` */
export function localReference(name: string): string {
  return `local.${name}`;
}
