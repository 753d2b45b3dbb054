import { Routes } from '@angular/router';
export default [
  { path: '', loadComponent: () => import('./dataset-list') },
  { path: ':id', loadComponent: () => import('./dataset-detail') },
] satisfies Routes;
