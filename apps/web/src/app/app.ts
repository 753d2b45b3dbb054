import { ChangeDetectionStrategy, Component, computed, effect, inject, untracked } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { AuthSession } from './core/auth-session';
import { LiveEvents } from './core/live-events';
import { SignIn } from './features/auth/sign-in';

interface NavGroup { title: string; links: { path: string; label: string }[] }

@Component({
  selector: 'app-root',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, SignIn],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './app.html',
  styleUrl: './app.css',
})
export class App {
  protected readonly live = inject(LiveEvents);
  protected readonly auth = inject(AuthSession);
  protected readonly principal = computed(() => {
    const s = this.auth.state();
    return s.kind === 'signed-in' ? s.principal : null;
  });
  protected readonly signedOutMessage = computed(() => {
    const s = this.auth.state();
    return s.kind === 'signed-out' ? s.message : undefined;
  });
  private streamOpened = false;
  protected readonly groups: NavGroup[] = [
    { title: 'Resources', links: [
      { path: '/datasets', label: 'Datasets' },
      { path: '/models', label: 'Base models & adapters' },
      { path: '/prompts', label: 'Prompts' },
      { path: '/configs', label: 'Configs' },
    ] },
    { title: 'Experiments', links: [
      { path: '/jobs/train', label: 'Train a new adapter' },
      { path: '/jobs', label: 'Training jobs' },
      { path: '/evaluation', label: 'Evaluation' },
      { path: '/comparison', label: 'Compare adapters' },
    ] },
    { title: 'Deploy', links: [
      { path: '/exports', label: 'Export & deploy' },
    ] },
    { title: 'Database', links: [
      { path: '/database', label: 'Import / export' },
      { path: '/events', label: 'Event log' },
      { path: '/settings', label: 'Settings' },
    ] },
  ];
  constructor() {
    void this.auth.check();
    // Open the live stream once the API may be used (its cookie is set by signing in), so the indicator is meaningful.
    effect(() => {
      const kind = this.auth.state().kind;
      if ((kind === 'open' || kind === 'signed-in') && !this.streamOpened) {
        this.streamOpened = true;
        untracked(() => this.live.subscribe(() => undefined));
      }
    });
  }

  protected signOut(): void {
    void this.auth.signOut();
  }
}
