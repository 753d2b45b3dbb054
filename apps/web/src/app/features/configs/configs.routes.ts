import { Routes } from '@angular/router';
export default [{ path: '', loadComponent: () => import('./config-list') }] satisfies Routes;
