import { ChangeDetectionStrategy, Component, input } from '@angular/core';

@Component({
  selector: 'app-status',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span class="badge" [class]="'badge st-' + status()" [attr.data-status]="status()">{{ status() }}</span>`,
})
export class StatusBadge {
  readonly status = input.required<string>();
}
