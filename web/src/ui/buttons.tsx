import type { ReactNode } from 'react';
import { Button, ProgressBar } from 'react-aria-components';
import { useTranslation } from 'react-i18next';

/**
 * A button for an action that waits on the service: while it is under way the button says so (a
 * spinner with an accessible name), stays focusable and does not act twice.
 */
export function ActionButton(props: {
  children: ReactNode;
  pending: boolean;
  type?: 'submit' | 'button';
  variant?: 'primary' | 'secondary' | 'danger';
  onPress?: () => void;
  isDisabled?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Button
      type={props.type ?? 'button'}
      className={`button ${props.variant ?? 'primary'}`}
      isPending={props.pending}
      isDisabled={props.isDisabled}
      onPress={props.onPress}
    >
      {({ isPending }) => (
        <>
          {props.children}
          {isPending ? (
            <ProgressBar isIndeterminate aria-label={t('ui.working')} className="spinner">
              <span className="spinner-dot" aria-hidden="true" />
            </ProgressBar>
          ) : null}
        </>
      )}
    </Button>
  );
}

/** While a page's data loads: a progress bar with its name. */
export function Loading() {
  const { t } = useTranslation();
  return (
    <ProgressBar isIndeterminate aria-label={t('ui.loading')} className="loading">
      <span className="loading-bar" aria-hidden="true" />
      <span>{t('ui.loading')}</span>
    </ProgressBar>
  );
}
