import { creditCodeProblem } from '@domain/credit-code';
import { useTranslation } from 'react-i18next';

/**
 * A unified social credit code as it is typed, checked by the service's own rule (GB 32100-2015,
 * `domain/credit-code.ts`): `check` gives the field's words for what is wrong (nothing while empty),
 * `valid` says that the code typed so far is whole and right.
 */
export function useCreditCodeCheck(typed: string) {
  const { t } = useTranslation();
  const check = (value: string): string | null => {
    const code = value.trim().toUpperCase();
    if (code === '') return null;
    const problem = creditCodeProblem(code);
    return problem ? t(`enterprise.creditCodeProblem.${problem}`) : null;
  };
  return { check, valid: typed.trim().length === 18 && check(typed) === null };
}
