import { Routes } from '@angular/router';

export default [
  { path: '', loadComponent: () => import('./pages/evaluation-page') },
  { path: ':id', loadComponent: () => import('./pages/evaluation-results') },
] satisfies Routes;
