import { describe, expect, it } from 'vitest';
import { missingPackages } from './settings-page';

describe('missingPackages', () => {
  it('names the packages the probe did not find', () => {
    expect(missingPackages({ torch: false, transformers: true, peft: false })).toBe('torch, peft');
    expect(missingPackages({ torch: true, transformers: true, peft: true })).toBeNull();
    expect(missingPackages(undefined)).toBeNull();
  });
});
