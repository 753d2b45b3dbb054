import { Routes } from '@angular/router';

// One lazy chunk per page, named here: a page's code loads straight after the main bundle, not after a
// feature's routes chunk first (one less round trip before the page can ask for its data).
export const routes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'jobs' },
  { path: 'jobs', pathMatch: 'full', loadComponent: () => import('./features/jobs/pages/job-list') },
  { path: 'jobs/train', loadComponent: () => import('./features/jobs/pages/train-adapter') },
  { path: 'jobs/:id', loadComponent: () => import('./features/jobs/pages/job-detail') },
  { path: 'datasets', pathMatch: 'full', loadComponent: () => import('./features/datasets/dataset-list') },
  { path: 'datasets/:id', loadComponent: () => import('./features/datasets/dataset-detail') },
  { path: 'prompts', pathMatch: 'full', loadComponent: () => import('./features/prompts/prompt-list') },
  { path: 'prompts/new', loadComponent: () => import('./features/prompts/prompt-editor') },
  { path: 'models', pathMatch: 'full', loadComponent: () => import('./features/models/model-list') },
  { path: 'evaluation', pathMatch: 'full', loadComponent: () => import('./features/evaluation/pages/evaluation-page') },
  { path: 'evaluation/:id', loadComponent: () => import('./features/evaluation/pages/evaluation-results') },
  { path: 'comparison', pathMatch: 'full', loadComponent: () => import('./features/comparison/pages/comparison-page') },
  { path: 'exports', pathMatch: 'full', loadComponent: () => import('./features/exports/pages/exports-page') },
  { path: 'configs', pathMatch: 'full', loadComponent: () => import('./features/configs/config-list') },
  { path: 'database', loadComponent: () => import('./features/database/database-page') },
  { path: 'events', loadComponent: () => import('./features/events/event-log') },
  { path: 'settings', loadComponent: () => import('./features/settings/settings-page') },
  { path: '**', redirectTo: 'jobs' },
];
