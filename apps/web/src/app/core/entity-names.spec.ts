import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { EntityNames, NAMES_PER_READ } from './entity-names';

const settle = () => new Promise((r) => setTimeout(r));

describe('EntityNames', () => {
  let http: HttpTestingController;
  let names: EntityNames;
  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    names = TestBed.inject(EntityNames);
  });
  afterEach(() => http.verify());

  it('reads the ids asked in one turn with one request per kind, and each id once', async () => {
    expect(names.name('datasets', 'd1')).toBe('d1');
    expect(names.name('models', 'm1')).toBe('m1');
    expect(names.name('datasets', 'd2')).toBe('d2');
    expect(names.name('datasets', 'd1')).toBe('d1'); // asked twice, read once
    expect(names.name('datasets', '')).toBe('');
    await settle();
    http.expectOne('/api/datasets?ids=d1,d2').flush({ datasets: [{ id: 'd1', name: 'Tickets' }, { id: 'd2', name: 'Reviews' }] });
    http.expectOne('/api/models?ids=m1').flush({ models: [{ id: 'm1', name: 'Llama' }] });
    await settle();
    expect([names.name('datasets', 'd1'), names.name('datasets', 'd2'), names.name('models', 'm1')]).toEqual(['Tickets', 'Reviews', 'Llama']);
    expect(names.of('d1')).toBe('Tickets');
    await settle();
    http.expectNone(() => true); // nothing read again
  });

  it('splits a long list into reads of at most NAMES_PER_READ ids', async () => {
    const ids = Array.from({ length: NAMES_PER_READ + 5 }, (_, i) => `p${i}`);
    for (const id of ids) names.name('prompts', id);
    await settle();
    const reads = http.match((r) => r.url === '/api/prompts');
    expect(reads.map((r) => r.request.params.get('ids')!.split(',').length)).toEqual([NAMES_PER_READ, 5]);
    reads[0].flush({ prompts: [] });
    reads[1].flush({ prompts: [{ id: `p${NAMES_PER_READ + 4}`, name: 'Last' }] });
    await settle();
    expect(names.name('prompts', `p${NAMES_PER_READ + 4}`)).toBe('Last');
    expect(names.name('prompts', 'p0')).toBe('p0'); // not found: the id stays, not asked again
  });

  it('keeps showing the ids when a read fails', async () => {
    names.name('adapters', 'a1');
    await settle();
    http.expectOne('/api/adapters?ids=a1').flush({ error: { code: 'UNAVAILABLE' } }, { status: 503, statusText: 'Unavailable' });
    await settle();
    expect(names.name('adapters', 'a1')).toBe('a1');
  });

  it('asks later turns separately', async () => {
    names.name('models', 'm1');
    await settle();
    const first = http.expectOne('/api/models?ids=m1');
    names.name('models', 'm2');
    await settle();
    http.expectOne('/api/models?ids=m2').flush({ models: [{ id: 'm2', name: 'Two' }] });
    first.flush({ models: [{ id: 'm1', name: 'One' }] });
    await settle();
    expect([names.name('models', 'm1'), names.name('models', 'm2')]).toEqual(['One', 'Two']);
  });
});
