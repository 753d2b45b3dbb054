import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { LiveEvents } from './core/live-events';

interface NavGroup { title: string; links: { path: string; label: string }[] }

@Component({
  selector: 'app-root',
  imports: [RouterOutlet, RouterLink, RouterLinkActive],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './app.html',
  styleUrl: './app.css',
})
export class App {
  protected readonly live = inject(LiveEvents);
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
    // Open the live stream at start-up so the connection indicator is meaningful.
    this.live.subscribe(() => undefined);
  }
}
