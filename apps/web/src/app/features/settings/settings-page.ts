import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { JsonPipe } from '@angular/common';
import { Api } from '../../core/api';
import { errorMessage } from '../../core/api-error';
import { Settings } from '../../core/models';

/** The job templates' required Python packages the probe did not find ("torch, peft"); null when all are there. */
export function missingPackages(packages: Record<string, boolean | string> | string[] | undefined): string | null {
  if (!packages || Array.isArray(packages)) return null;
  const missing = ['torch', 'transformers', 'peft'].filter((n) => n in packages && packages[n] === false);
  return missing.length ? missing.join(', ') : null;
}

@Component({
  selector: 'app-settings-page',
  imports: [JsonPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Settings</h1>
    <p class="caption">Read-only: set through environment variables when the server starts.</p>
    @if (error(); as e) { <p class="error">{{ e }}</p> }
    @if (settings(); as s) {
      @if (missingPython(s); as missing) {
        <div class="error-box" role="alert" data-testid="python-missing">
          <strong>Training, evaluation and comparison jobs will fail: the job templates' Python lacks {{ missing }}.</strong>
          Set up the Python stack with <code>npm run setup:python</code> (creates <code>job-templates/.venv</code>), then restart the studio.
        </div>
      }
      <table>
        <tr><th>Runner</th><td>{{ s.runner }}</td></tr>
        <tr><th>GPU slots</th><td>{{ s.gpu_slots }}</td></tr>
        <tr><th>Project root</th><td class="mono">{{ s.project_root }}</td></tr>
        <tr><th>State dir</th><td class="mono">{{ s.state_dir }}</td></tr>
        <tr><th>Database</th><td class="mono">{{ s.db_path }}</td></tr>
        <tr><th>Job templates</th><td class="mono">{{ s.templates_dir }}</td></tr>
        <tr><th>gRPC / HTTP</th><td class="mono">{{ s.grpc_address }} / {{ s.http_address }}</td></tr>
        <tr><th>Auth</th><td>{{ s.auth | json }}</td></tr>
        <tr><th>Python</th><td><pre>{{ s.python | json }}</pre></td></tr>
        <tr><th>Versions</th><td><pre>{{ s.versions | json }}</pre></td></tr>
      </table>
      @if (s.slurm; as cluster) {
        <h2>Slurm cluster</h2>
        @if (cluster.error) { <p class="error" data-testid="slurm-error">sinfo failed: {{ cluster.error }}</p> }
        <table data-testid="slurm-partitions">
          <tr><th>Partition</th><th>State</th><th>Nodes idle / allocated / other / total</th><th>CPUs idle / allocated</th><th>Time limit</th><th>GPUs</th></tr>
          @for (p of cluster.partitions; track p.name) {
            <tr>
              <td class="mono">{{ p.name }}{{ p.default ? ' (default)' : '' }}</td><td>{{ p.available }}</td>
              <td>{{ p.nodes.idle }} / {{ p.nodes.allocated }} / {{ p.nodes.other }} / {{ p.nodes.total }}</td>
              <td>{{ p.cpus.idle }} / {{ p.cpus.allocated }}</td><td class="mono">{{ p.timeLimit }}</td><td class="mono">{{ p.gres || '—' }}</td>
            </tr>
          }
        </table>
      }
    }
  `,
})
export default class SettingsPage {
  protected readonly settings = signal<Settings | null>(null);
  protected readonly error = signal<string | null>(null);
  protected missingPython(s: Settings): string | null {
    return missingPackages(s.python?.packages);
  }
  constructor() {
    inject(Api).get<Settings>('/settings').then((s) => this.settings.set(s)).catch((e) => this.error.set(errorMessage(e)));
  }
}
