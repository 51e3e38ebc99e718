import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api/client';
import { session } from './auth/session';
import { initialLocale, setupI18n } from './i18n';
import { createAppRouter } from './router';
import './ui/styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // a refusal (4xx) will not change by asking again; a lost connection or a 5xx might
      retry: (count, error) => count < 2 && !(error instanceof ApiError && error.problem.status < 500),
      staleTime: 5_000,
    },
  },
});
const router = createAppRouter(queryClient);

/** React Aria's dates and numbers follow the portal's language. */
function App() {
  const { i18n } = useTranslation();
  return (
    <I18nProvider locale={i18n.language}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </I18nProvider>
  );
}

await setupI18n(initialLocale(session.get()?.user.locale));
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
