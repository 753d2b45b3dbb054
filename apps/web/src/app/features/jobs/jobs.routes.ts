import { Routes } from '@angular/router';

export default [
  { path: '', loadComponent: () => import('./pages/job-list') },
  { path: 'train', loadComponent: () => import('./pages/train-adapter') },
  { path: ':id', loadComponent: () => import('./pages/job-detail') },
] satisfies Routes;
