import { TestBed } from '@angular/core/testing';
import { JsonEditor, jsonError } from './json-editor';

describe('jsonError', () => {
  it('accepts an object', () => expect(jsonError('{"r": 16}')).toBeNull());
  it('reports the parser message for broken JSON', () => expect(jsonError('{"r": }')).toMatch(/JSON|token|Unexpected/i));
  it('refuses a non-object', () => expect(jsonError('[1,2]')).toMatch(/object/));
  it('refuses empty text', () => expect(jsonError('  ')).toMatch(/Enter/));
});

describe('JsonEditor', () => {
  it('shows the error inline as the user types and clears it when fixed', async () => {
    const fixture = TestBed.createComponent(JsonEditor);
    fixture.componentRef.setInput('label', 'LoRA config');
    fixture.componentInstance.value.set('{"r": 16}');
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;
    const ta = el.querySelector('textarea')!;
    expect(el.querySelector('.json-error')).toBeNull();

    ta.value = '{"r": 16,';
    ta.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(el.querySelector('.json-error')?.textContent).toContain('Invalid JSON');
    expect(ta.classList).toContain('invalid');

    ta.value = '{"r": 8}';
    ta.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(el.querySelector('.json-error')).toBeNull();
    expect(fixture.componentInstance.value()).toBe('{"r": 8}');
  });
});
