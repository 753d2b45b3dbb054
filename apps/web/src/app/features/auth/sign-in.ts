import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { errorMessage } from '../../core/api-error';
import { AuthSession } from '../../core/auth-session';

/** The screen shown while the server wants a token and this tab has none that works. */
@Component({
  selector: 'app-sign-in',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="card sign-in" (ngSubmit)="submit()" data-testid="sign-in">
      <h1>Fine Tuning Studio</h1>
      <p class="caption">This server requires a token. Ask its administrator for one (FTS_AUTH_TOKENS); it is kept for this tab only.</p>
      @if (error() ?? notice(); as e) { <p class="error" data-testid="sign-in-error">{{ e }}</p> }
      <label class="field">
        <span>Token</span>
        <input type="password" name="token" autocomplete="current-password" [(ngModel)]="token" data-testid="token-input" autofocus />
      </label>
      <button type="submit" [disabled]="busy() || !token.trim()" data-testid="sign-in-button">Sign in</button>
    </form>
  `,
  styles: `
    :host { display: flex; justify-content: center; padding-top: 12vh; }
    .sign-in { width: 380px; }
    .sign-in input { width: 100%; }
  `,
})
export class SignIn {
  /** Why the console is here (the server's sentence of the 401 that sent it back). */
  readonly notice = input<string | undefined>();
  protected token = '';
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  private readonly session = inject(AuthSession);

  async submit(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.session.signIn(this.token);
    } catch (e) {
      this.error.set(errorMessage(e));
    } finally {
      this.busy.set(false);
    }
  }
}
