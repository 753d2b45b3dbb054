import { AfterViewInit, ChangeDetectionStrategy, Component, ElementRef, OnDestroy, effect, input, viewChild } from '@angular/core';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { BarData } from '../data/results';
import { fmtNumber } from '../../../core/format';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const COLORS = ['#008cff', '#e4572e', '#17a398', '#f3a712', '#8e44ad', '#2e4057', '#66a182'];

/** Grouped bar chart of aggregate metrics, one bar per run. Lives in the lazy evaluation chunk with chart.js. */
@Component({
  selector: 'app-metric-bars',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<div class="wrap"><canvas #canvas role="img" aria-label="Aggregate metrics"></canvas></div>`,
  styles: `.wrap { position: relative; height: 260px; }`,
})
export class MetricBars implements AfterViewInit, OnDestroy {
  readonly data = input.required<BarData>();
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private chart?: Chart<'bar'>;

  constructor() {
    effect(() => {
      const d = this.data();
      if (this.chart) this.fill(d);
    });
  }

  ngAfterViewInit(): void {
    this.chart = new Chart(this.canvas().nativeElement, {
      type: 'bar',
      data: { labels: [], datasets: [] },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, ticks: { callback: (v) => fmtNumber(Number(v), 3) } } },
        plugins: { legend: { display: true }, tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${fmtNumber(c.parsed.y)}` } } },
      },
    });
    this.fill(this.data());
  }

  private fill(d: BarData): void {
    const chart = this.chart!;
    chart.data.labels = d.labels;
    chart.data.datasets = d.datasets.map((s, i) => ({ label: s.label, data: s.data, backgroundColor: COLORS[i % COLORS.length] }));
    chart.update('none');
    this.canvas().nativeElement.dataset['bars'] = String(d.datasets.length);
  }

  ngOnDestroy(): void {
    this.chart?.destroy();
  }
}
