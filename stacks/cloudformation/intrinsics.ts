import type { Partition, PolicyDocument } from '../../policy/index.js';

/**
 * CloudFormation intrinsic functions, in their long (JSON) form so every tool that
 * reads the template (CloudFormation, cfn-lint, cfn-guard, moto) sees the same thing.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */
export type CfnIntrinsic =
  | { Ref: string }
  | { 'Fn::GetAtt': [string, string] }
  | { 'Fn::Sub': string }
  | { 'Fn::Join': [string, CfnValue[]] }
  | { 'Fn::If': [string, CfnValue, CfnValue] }
  | { 'Fn::Equals': [CfnValue, CfnValue] }
  | { 'Fn::Not': [CfnValue] }
  | { 'Fn::And': CfnValue[] }
  | { 'Fn::Or': CfnValue[] }
  | { Condition: string };

/** Any value a template property can hold, including the IAM documents built by policy/. */
export type CfnValue =
  | string
  | number
  | boolean
  | CfnIntrinsic
  | CfnValue[]
  | { [key: string]: CfnValue }
  | PolicyDocument<CfnIntrinsic>;

/**
 * The partition pseudo parameter, written where an ARN builder expects a partition.
 * Only valid inside `Fn::Sub`, which substitutes it at deploy time.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html#cfn-pseudo-param-partition
 */
export const PARTITION_PSEUDO = '${AWS::Partition}' as Partition;

/** Pseudo parameter names used by the template. */
export const AWS_NO_VALUE = 'AWS::NoValue';
export const AWS_REGION = 'AWS::Region';

export function ref(name: string): CfnIntrinsic {
  return { Ref: name };
}

/** `Fn::GetAtt` in the list form, which the Control Tower guard rules resolve to a local resource. */
export function getAtt(resource: string, attribute: string): CfnIntrinsic {
  return { 'Fn::GetAtt': [resource, attribute] };
}

export function sub(template: string): CfnIntrinsic {
  return { 'Fn::Sub': template };
}

export function join(delimiter: string, values: CfnValue[]): CfnIntrinsic {
  return { 'Fn::Join': [delimiter, values] };
}

export function ifCondition(condition: string, whenTrue: CfnValue, whenFalse: CfnValue): CfnIntrinsic {
  return { 'Fn::If': [condition, whenTrue, whenFalse] };
}

/** The value when the condition holds, else the property is left out. */
export function onlyIf(condition: string, value: CfnValue): CfnIntrinsic {
  return ifCondition(condition, value, ref(AWS_NO_VALUE));
}

export function equals(a: CfnValue, b: CfnValue): CfnIntrinsic {
  return { 'Fn::Equals': [a, b] };
}

export function not(condition: CfnValue): CfnIntrinsic {
  return { 'Fn::Not': [condition] };
}

export function or(conditions: CfnValue[]): CfnIntrinsic {
  return { 'Fn::Or': conditions };
}

/** Another condition, by name (inside Conditions only). */
export function condition(name: string): CfnIntrinsic {
  return { Condition: name };
}

/** A parameter holds a non-empty value. */
export function isSet(parameter: string): CfnIntrinsic {
  return not(equals(ref(parameter), ''));
}
