import { Routes } from '@angular/router';

export default [{ path: '', loadComponent: () => import('./pages/comparison-page') }] satisfies Routes;
