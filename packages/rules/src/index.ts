export * from './identity/idNumber.ts';
