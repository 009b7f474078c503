import type { CfnTemplate } from '../../stacks/cloudformation/template.js';

/**
 * What CloudFormation does with a template at stack creation, for the tests:
 * parameter values (defaults filled in), Conditions evaluated, `Fn::If` branches
 * chosen, `AWS::NoValue` dropped, resources whose Condition is false left out.
 *
 * `specializeTemplate` stops there and also replaces parameter `Ref`s by their values:
 * what is left (GetAtt, Join, Sub over resources and pseudo parameters) is what the
 * stack will hold, which is what cfn-guard's rules judge. `resolveValue` goes all the
 * way to strings, given the resource names and attributes a deployment would report.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const NO_VALUE = Symbol('AWS::NoValue');

export interface StackContext {
  /** Parameter values given to the stack; defaults fill the rest. */
  parameters: Record<string, string>;
  partition?: string;
  region?: string;
  accountId?: string;
  stackName?: string;
  /** `Ref` of each resource (its physical ID), as a deployment would report it. */
  resourceRefs?: Record<string, string>;
  /** `Fn::GetAtt` results, keyed `Resource.Attribute`. */
  attributes?: Record<string, string>;
}

export function parameterValues(template: CfnTemplate, given: Record<string, string>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, p] of Object.entries(template.Parameters)) {
    const value = given[name] ?? p.Default;
    if (value === undefined) throw new Error(`parameter ${name} has no default and no value was given`);
    if (p.AllowedPattern && !new RegExp(p.AllowedPattern).test(value)) {
      throw new Error(`parameter ${name}=${JSON.stringify(value)} breaks its AllowedPattern ${p.AllowedPattern}`);
    }
    if (p.AllowedValues && !p.AllowedValues.includes(value)) throw new Error(`parameter ${name}=${value} is not allowed`);
    values[name] = value;
  }
  for (const name of Object.keys(given)) {
    if (!(name in template.Parameters)) throw new Error(`the template has no parameter ${name}`);
  }
  return values;
}

function pseudo(ctx: StackContext): Record<string, string> {
  return {
    'AWS::Partition': ctx.partition ?? 'aws',
    'AWS::Region': ctx.region ?? 'us-east-1',
    'AWS::AccountId': ctx.accountId ?? '444455556666',
    'AWS::StackName': ctx.stackName ?? 'ion-snapshot-destination',
    'AWS::URLSuffix': ctx.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
  };
}

/** Evaluate every condition (conditions may refer to each other). */
export function evaluateConditions(template: CfnTemplate, params: Record<string, string>): Record<string, boolean> {
  const results: Record<string, boolean> = {};
  const evaluate = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(evaluate);
    if (value === null || typeof value !== 'object') return value;
    const [fn, arg] = Object.entries(value)[0] as [string, unknown];
    switch (fn) {
      case 'Ref':
        if (!(String(arg) in params)) throw new Error(`condition refers to unknown parameter ${String(arg)}`);
        return params[String(arg)];
      case 'Condition':
        return conditionValue(String(arg));
      case 'Fn::Equals': {
        const [a, b] = (arg as unknown[]).map(evaluate);
        return a === b;
      }
      case 'Fn::Not':
        return !(evaluate((arg as unknown[])[0]) as boolean);
      case 'Fn::And':
        return (arg as unknown[]).every((c) => evaluate(c) === true);
      case 'Fn::Or':
        return (arg as unknown[]).some((c) => evaluate(c) === true);
      default:
        throw new Error(`unsupported function in a condition: ${fn}`);
    }
  };
  const conditionValue = (name: string): boolean => {
    if (!(name in results)) {
      const definition = template.Conditions[name];
      if (definition === undefined) throw new Error(`unknown condition ${name}`);
      results[name] = evaluate(definition) as boolean;
    }
    return results[name] as boolean;
  };
  for (const name of Object.keys(template.Conditions)) conditionValue(name);
  return results;
}

/** Choose Fn::If branches and drop AWS::NoValue; optionally replace parameter Refs. */
function chooseBranches(value: unknown, conditions: Record<string, boolean>, params?: Record<string, string>): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => chooseBranches(v, conditions, params)).filter((v) => v !== NO_VALUE);
  }
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [fn, arg] = entries[0] as [string, unknown];
    if (fn === 'Fn::If') {
      const [name, whenTrue, whenFalse] = arg as [string, unknown, unknown];
      if (!(name in conditions)) throw new Error(`Fn::If names unknown condition ${name}`);
      return chooseBranches(conditions[name] ? whenTrue : whenFalse, conditions, params);
    }
    if (fn === 'Ref' && arg === 'AWS::NoValue') return NO_VALUE;
    if (fn === 'Ref' && params && typeof arg === 'string' && arg in params) return params[arg];
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of entries) {
    const chosen = chooseBranches(v, conditions, params);
    if (chosen !== NO_VALUE) out[key] = chosen;
  }
  return out;
}

/** The template as the stack for these parameter values holds it (see the module comment). */
export function specializeTemplate(template: CfnTemplate, given: Record<string, string>): Record<string, unknown> {
  const params = parameterValues(template, given);
  const conditions = evaluateConditions(template, params);
  const resources: Record<string, unknown> = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Condition !== undefined && !conditions[resource.Condition]) continue;
    const { Condition: _dropped, ...rest } = resource;
    resources[id] = chooseBranches(rest, conditions, params);
  }
  return {
    AWSTemplateFormatVersion: template.AWSTemplateFormatVersion,
    Description: template.Description,
    Resources: resources,
    Outputs: chooseBranches(template.Outputs, conditions, params),
  };
}

/** Resolve a template value all the way to JSON, as CloudFormation would for this stack. */
export function resolveValue(template: CfnTemplate, value: unknown, ctx: StackContext): Json {
  const params = parameterValues(template, ctx.parameters);
  const conditions = evaluateConditions(template, params);
  const pseudoValues = pseudo(ctx);
  const refOf = (name: string): string => {
    if (name in params) return params[name] as string;
    if (name in pseudoValues) return pseudoValues[name] as string;
    const physical = ctx.resourceRefs?.[name];
    if (physical === undefined) throw new Error(`no value for Ref ${name}`);
    return physical;
  };
  const attributeOf = (resource: string, attribute: string): string => {
    const v = ctx.attributes?.[`${resource}.${attribute}`];
    if (v === undefined) throw new Error(`no value for Fn::GetAtt ${resource}.${attribute}`);
    return v;
  };
  const resolve = (v: unknown): Json => {
    if (Array.isArray(v)) return v.map(resolve);
    if (v === null || typeof v !== 'object') return v as Json;
    const entries = Object.entries(v);
    if (entries.length === 1) {
      const [fn, arg] = entries[0] as [string, unknown];
      if (fn === 'Ref') return refOf(String(arg));
      if (fn === 'Fn::GetAtt') {
        const [resource, attribute] = arg as [string, string];
        return attributeOf(resource, attribute);
      }
      if (fn === 'Fn::Join') {
        const [delimiter, parts] = arg as [string, unknown[]];
        return parts.map((p) => String(resolve(p))).join(delimiter);
      }
      if (fn === 'Fn::Sub') {
        if (typeof arg !== 'string') throw new Error('only the string form of Fn::Sub is supported');
        return arg.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
          const dot = name.indexOf('.');
          return dot === -1 ? refOf(name) : attributeOf(name.slice(0, dot), name.slice(dot + 1));
        });
      }
      if (fn.startsWith('Fn::') && fn !== 'Fn::If') throw new Error(`unsupported function ${fn}`);
    }
    const out: Record<string, Json> = {};
    for (const [key, item] of entries) out[key] = resolve(item);
    return out;
  };
  return resolve(chooseBranches(value, conditions));
}
