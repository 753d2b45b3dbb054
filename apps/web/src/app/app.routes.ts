import { Routes } from '@angular/router';

export const routes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'jobs' },
  { path: 'jobs', loadChildren: () => import('./features/jobs/jobs.routes') },
  { path: 'datasets', loadChildren: () => import('./features/datasets/datasets.routes') },
  { path: 'prompts', loadChildren: () => import('./features/prompts/prompts.routes') },
  { path: 'models', loadChildren: () => import('./features/models/models.routes') },
  { path: 'evaluation', loadChildren: () => import('./features/evaluation/evaluation.routes') },
  { path: 'comparison', loadChildren: () => import('./features/comparison/comparison.routes') },
  { path: 'exports', loadChildren: () => import('./features/exports/exports.routes') },
  { path: 'configs', loadChildren: () => import('./features/configs/configs.routes') },
  { path: 'database', loadComponent: () => import('./features/database/database-page') },
  { path: 'events', loadComponent: () => import('./features/events/event-log') },
  { path: 'settings', loadComponent: () => import('./features/settings/settings-page') },
  { path: '**', redirectTo: 'jobs' },
];
