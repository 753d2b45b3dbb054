import { Routes } from '@angular/router';

export default [{ path: '', loadComponent: () => import('./pages/exports-page') }] satisfies Routes;
