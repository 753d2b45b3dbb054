import { Routes } from '@angular/router';
export default [{ path: '', loadComponent: () => import('./model-list') }] satisfies Routes;
