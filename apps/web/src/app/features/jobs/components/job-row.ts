import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { fmtDate, shortId } from '../../../core/format';
import { FineTuningJob } from '../../../core/models';
import { StatusBadge } from '../../../shared/status-badge';

/** One row of the jobs table. OnPush + a new object only for the changed job, so other rows are skipped. */
@Component({
  selector: 'tr[app-job-row]',
  imports: [RouterLink, StatusBadge],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[attr.data-job-id]': 'job().id' },
  template: `
    <td><a class="mono" [routerLink]="['/jobs', job().id]">{{ short(job().id) }}</a></td>
    <td><app-status [status]="job().status" /></td>
    <td>{{ job().adapter_name }}</td>
    <td>{{ model() }}</td>
    <td>{{ dataset() }}</td>
    <td>{{ prompt() }}</td>
    <td class="muted">{{ date(job().created_at) }}</td>
    <td class="muted msg" [title]="job().status_message ?? ''">{{ job().status_message }}</td>
  `,
  styles: `.msg { max-width: 280px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }`,
})
export class JobRow {
  readonly job = input.required<FineTuningJob>();
  readonly model = input('');
  readonly dataset = input('');
  readonly prompt = input('');
  protected readonly short = shortId;
  protected readonly date = fmtDate;
}
