-- Department officers belong to one of the known departments (the list in
-- src/domains/access/permissions.ts), so referrals can be routed by it.
ALTER TABLE app_user ADD CONSTRAINT app_user_department_known CHECK (department IS NULL OR department IN (
  'education', 'medicalSecurity', 'housing', 'humanResources', 'health', 'disabledPersons',
  'tradeUnion', 'emergency', 'ruralRevitalization', 'charity'));
