import { useTranslation } from 'react-i18next';
import { dynamicText } from '../../i18n/dynamic';
import { formatFen } from '../../ui/money';
import { percentText, type Rule, type RuleValue } from './policy-rules';

const DURATION = /^(\d+)(ms|s|m|h|d)$/;

/**
 * A rule's value in words, as the programme page states it and the form names a default: a
 * percentage, yuan, a duration in units a person reads, the tags and categories by name.
 */
export function useRuleWords(): (rule: Rule, value: RuleValue) => string {
  const { t, i18n } = useTranslation();
  const list = (items: string[]) => new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(items);
  const duration = (value: string) => {
    const match = DURATION.exec(value);
    return match
      ? t(`duration.${match[2] as 'ms' | 's' | 'm' | 'h' | 'd'}`, { count: Number(match[1]) })
      : value;
  };
  return (rule, value) => {
    const words = 'admin.programmes.words';
    switch (rule.kind) {
      case 'percent':
        return `${percentText(value as number)}%`;
      case 'fen':
        return formatFen(value as number, i18n.language);
      case 'count':
        return t(`${words}.people`, { count: value as number });
      case 'duration':
        return duration(value as string);
      case 'durations': {
        const items = value as string[];
        return items.length ? list(items.map(duration)) : t(`${words}.none`);
      }
      case 'regions': {
        const items = (value as string[] | undefined) ?? [];
        if (items.length) return list(items);
        return rule.key === 'regions' ? t(`${words}.programmeRegion`) : t(`${words}.anywhere`);
      }
      case 'flag':
        return value ? t(`${words}.yes`) : t(`${words}.no`);
      case 'tags': {
        const items = value as string[];
        return items.length ? list(items.map((tag) => dynamicText(t, 'tag', tag))) : t(`${words}.noTags`);
      }
      case 'categories':
        return list((value as string[]).map((c) => dynamicText(t, 'category', c)));
    }
  };
}

/** When a programme's payout batches run, in words: an interval or a cron expression. */
export function useScheduleWords(): (expression: string) => string {
  const { t } = useTranslation();
  return (expression) => {
    const match = DURATION.exec(expression);
    if (!match) return t('admin.programmes.schedule.cron', { expression });
    const every = t(`duration.${match[2] as 'ms' | 's' | 'm' | 'h' | 'd'}`, { count: Number(match[1]) });
    return t('admin.programmes.schedule.interval', { every });
  };
}
