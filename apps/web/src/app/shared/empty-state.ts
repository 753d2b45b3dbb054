import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';

/** Shown when a list is empty: what it is, and the next thing to do. */
@Component({
  selector: 'app-empty',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="empty">
      <p>{{ text() }}</p>
      @if (link()) {
        <a class="btn" [routerLink]="link()">{{ action() }}</a>
      }
    </div>
  `,
})
export class EmptyState {
  readonly text = input.required<string>();
  readonly link = input<string>();
  readonly action = input('');
}
