import { expect } from 'vitest';
import { IonDestError, type InputProblem } from '../../errors/index.js';

/**
 * The problems of the INVALID_INPUT error a synchronous call throws. Any other error fails
 * the test, and so does a call that returns.
 */
export function problemsOf(call: () => unknown): InputProblem[] {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(IonDestError);
    expect((error as IonDestError).code).toBe('INVALID_INPUT');
    return [...(error as IonDestError).problems];
  }
  throw new Error('expected an INVALID_INPUT error, and the call returned');
}
