import { AfterViewInit, ChangeDetectionStrategy, Component, ElementRef, OnDestroy, effect, input, viewChild } from '@angular/core';
import { Chart, CategoryScale, Legend, LineController, LineElement, LinearScale, LogarithmicScale, PointElement, Tooltip } from 'chart.js';
import { fmtNumber } from '../../../core/format';
import { MetricName, MetricPoint } from '../../../core/models';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, CategoryScale, Legend, Tooltip);

export interface Series { key: MetricName; label: string; color: string }

/** A line chart of some metric values against the training step; updates in place as points arrive. */
@Component({
  selector: 'app-metric-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<div class="wrap"><canvas #canvas [attr.aria-label]="title()" role="img"></canvas></div>`,
  styles: `.wrap { position: relative; height: 220px; }`,
})
export class MetricChart implements AfterViewInit, OnDestroy {
  readonly title = input('');
  readonly series = input.required<Series[]>();
  readonly points = input.required<MetricPoint[]>();
  readonly log = input(false);
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private chart?: Chart;

  constructor() {
    effect(() => {
      const pts = this.points();
      if (this.chart) this.fill(pts);
    });
  }

  ngAfterViewInit(): void {
    this.chart = new Chart(this.canvas().nativeElement, {
      type: 'line',
      data: { datasets: this.series().map((s) => ({ label: s.label, data: [], borderColor: s.color, backgroundColor: s.color, pointRadius: 0, borderWidth: 2, spanGaps: true })) },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        scales: {
          x: { type: 'linear', title: { display: true, text: 'step' } },
          y: { type: this.log() ? 'logarithmic' : 'linear', ticks: { callback: (v) => fmtNumber(Number(v), 3) } },
        },
        plugins: {
          legend: { display: true },
          tooltip: { mode: 'nearest', intersect: false, callbacks: { label: (c) => `${c.dataset.label}: ${fmtNumber(c.parsed.y)}` } },
        },
      },
    });
    this.fill(this.points());
  }

  private fill(pts: MetricPoint[]): void {
    const chart = this.chart!;
    this.series().forEach((s, i) => {
      chart.data.datasets[i].data = pts.filter((p) => typeof p.values[s.key] === 'number').map((p) => ({ x: p.step, y: p.values[s.key] as number }));
    });
    chart.update('none');
    this.canvas().nativeElement.dataset['points'] = String(pts.length);
  }

  ngOnDestroy(): void {
    this.chart?.destroy();
  }
}
