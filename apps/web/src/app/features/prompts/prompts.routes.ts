import { Routes } from '@angular/router';
export default [
  { path: '', loadComponent: () => import('./prompt-list') },
  { path: 'new', loadComponent: () => import('./prompt-editor') },
] satisfies Routes;
