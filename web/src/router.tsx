import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  Outlet,
  redirect,
  useRouter,
} from '@tanstack/react-router';
import { useEffect } from 'react';
import type { Role } from './api/types';
import { Account } from './account/Account';
import { AdminHome } from './admin/Home';
import { ApprovalsQueue } from './admin/oversight/Approvals';
import { ClaimsQueue } from './admin/oversight/Claims';
import { DisputesQueue } from './admin/oversight/Disputes';
import { ProcessesQueue } from './admin/oversight/Processes';
import { ProgrammeCreate } from './admin/programmes/ProgrammeCreate';
import { ProgrammePage } from './admin/programmes/ProgrammePage';
import { AdminProgrammes } from './admin/programmes/Programmes';
import { ApplicationsQueue } from './admin/review/Applications';
import { ProvidersQueue } from './admin/review/Providers';
import { UsersAdmin } from './admin/users/Users';
import { AuditExplorer, auditSearch } from './auditor/AuditExplorer';
import { AuditorHome } from './auditor/Home';
import { reportSearch } from './auditor/report-filters';
import { ReportsDashboard } from './auditor/Reports';
import { AcceptInvitation } from './auth/AcceptInvitation';
import { ForgotPassword } from './auth/ForgotPassword';
import { Register } from './auth/Register';
import { ResetPassword } from './auth/ResetPassword';
import { HOME_OF, session } from './auth/session';
import { SignIn } from './auth/SignIn';
import { VerifyEmail } from './auth/VerifyEmail';
import { ApplicationPage } from './items/ApplicationPage';
import { BookingPage } from './items/BookingPage';
import { VoucherPage } from './items/VoucherPage';
import { ProviderCalendar } from './provider/Calendar';
import { ProviderCatalog } from './provider/Catalog';
import { ProviderClaims } from './provider/Claims';
import { ProviderHome } from './provider/Home';
import { inboxSearch, ProviderInbox } from './provider/Inbox';
import { ProviderOnboarding } from './provider/Onboarding';
import { EnterpriseForm } from './sme/EnterpriseForm';
import { SmeHome } from './sme/Home';
import { Programme } from './sme/Programme';
import { Programmes } from './sme/Programmes';
import { Layout } from './ui/Layout';
import { NotFound } from './ui/NotFound';

/** Pages for someone not signed in: a session ending there leaves the reader where they are. */
const PUBLIC_PAGES = [
  '/sign-in',
  '/register',
  '/forgot-password',
  '/reset-password',
  '/verify-email',
  '/invitation',
];

/** When the session ends on a signed-in page (expiry, sign-out elsewhere), sign in again and come back. */
function Root() {
  const router = useRouter();
  useEffect(
    () =>
      session.subscribe(() => {
        if (session.get()) return;
        const here = router.state.location;
        if (PUBLIC_PAGES.includes(here.pathname)) return;
        // an expired session keeps the page asked for; signing out does not
        const keep = session.peekEndReason() === 'expired';
        void router.navigate({ to: '/sign-in', search: keep ? { redirect: here.href } : {} });
      }),
    [router],
  );
  return <Outlet />;
}

const root = createRootRouteWithContext<{ queryClient: QueryClient }>()({
  component: Root,
  notFoundComponent: NotFound,
});

const signIn = createRoute({
  getParentRoute: () => root,
  path: '/sign-in',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } =>
    typeof search.redirect === 'string' ? { redirect: search.redirect } : {},
  component: function SignInRoute() {
    const { redirect: target } = signIn.useSearch();
    return <SignIn redirect={target} />;
  },
});

const register = createRoute({ getParentRoute: () => root, path: '/register', component: Register });
const forgotPassword = createRoute({
  getParentRoute: () => root,
  path: '/forgot-password',
  component: ForgotPassword,
});
const resetPassword = createRoute({
  getParentRoute: () => root,
  path: '/reset-password',
  component: ResetPassword,
});
const verifyEmail = createRoute({
  getParentRoute: () => root,
  path: '/verify-email',
  component: VerifyEmail,
});
const invitation = createRoute({
  getParentRoute: () => root,
  path: '/invitation',
  component: AcceptInvitation,
});

const index = createRoute({
  getParentRoute: () => root,
  path: '/',
  beforeLoad: () => {
    const current = session.get();
    throw redirect({ to: current ? HOME_OF[current.user.role] : '/sign-in' });
  },
});

/** Every page below needs a session; without one, sign in first and come back to the page asked for. */
const signedIn = createRoute({
  getParentRoute: () => root,
  id: 'signed-in',
  beforeLoad: ({ location }) => {
    if (!session.get()) throw redirect({ to: '/sign-in', search: { redirect: location.href } });
  },
  component: Layout,
});

/** A page for some roles only; anyone else lands on their own home. */
function only(...roles: Role[]) {
  return () => {
    const role = session.get()!.user.role;
    if (!roles.includes(role)) throw redirect({ to: HOME_OF[role] });
  };
}

const smeHome = createRoute({
  getParentRoute: () => signedIn,
  path: '/sme',
  beforeLoad: only('SME'),
  component: SmeHome,
});
const smeEnterprise = createRoute({
  getParentRoute: () => signedIn,
  path: '/sme/enterprise',
  beforeLoad: only('SME'),
  component: EnterpriseForm,
});
const smeProgrammes = createRoute({
  getParentRoute: () => signedIn,
  path: '/sme/programmes',
  beforeLoad: only('SME'),
  component: Programmes,
});
const smeProgramme = createRoute({
  getParentRoute: () => signedIn,
  path: '/sme/programmes/$id',
  beforeLoad: only('SME'),
  component: function ProgrammeRoute() {
    return <Programme id={smeProgramme.useParams().id} />;
  },
});
const application = createRoute({
  getParentRoute: () => signedIn,
  path: '/applications/$id',
  beforeLoad: only('SME', 'ADMIN', 'AUDITOR'),
  component: function ApplicationRoute() {
    return <ApplicationPage id={application.useParams().id} />;
  },
});
const voucher = createRoute({
  getParentRoute: () => signedIn,
  path: '/vouchers/$id',
  beforeLoad: only('SME', 'ADMIN', 'AUDITOR'),
  component: function VoucherRoute() {
    return <VoucherPage id={voucher.useParams().id} />;
  },
});
const booking = createRoute({
  getParentRoute: () => signedIn,
  path: '/bookings/$id',
  component: function BookingRoute() {
    return <BookingPage id={booking.useParams().id} />;
  },
});
const providerHome = createRoute({
  getParentRoute: () => signedIn,
  path: '/provider',
  beforeLoad: only('PROVIDER'),
  component: ProviderHome,
});
const providerOnboarding = createRoute({
  getParentRoute: () => signedIn,
  path: '/provider/onboarding',
  beforeLoad: only('PROVIDER'),
  component: ProviderOnboarding,
});
const providerCatalog = createRoute({
  getParentRoute: () => signedIn,
  path: '/provider/catalog',
  beforeLoad: only('PROVIDER'),
  component: ProviderCatalog,
});
const providerCalendar = createRoute({
  getParentRoute: () => signedIn,
  path: '/provider/calendar',
  beforeLoad: only('PROVIDER'),
  component: ProviderCalendar,
});
const providerInbox = createRoute({
  getParentRoute: () => signedIn,
  path: '/provider/bookings',
  beforeLoad: only('PROVIDER'),
  validateSearch: inboxSearch,
  component: function ProviderInboxRoute() {
    return <ProviderInbox search={providerInbox.useSearch()} />;
  },
});
const providerClaims = createRoute({
  getParentRoute: () => signedIn,
  path: '/provider/claims',
  beforeLoad: only('PROVIDER'),
  component: ProviderClaims,
});
const adminHome = createRoute({
  getParentRoute: () => signedIn,
  path: '/admin',
  beforeLoad: only('ADMIN'),
  component: AdminHome,
});
const programmes = createRoute({
  getParentRoute: () => signedIn,
  path: '/programmes',
  beforeLoad: only('ADMIN', 'AUDITOR'),
  component: AdminProgrammes,
});
const programmeCreate = createRoute({
  getParentRoute: () => signedIn,
  path: '/programmes/new',
  beforeLoad: only('ADMIN'),
  component: ProgrammeCreate,
});
const programme = createRoute({
  getParentRoute: () => signedIn,
  path: '/programmes/$id',
  beforeLoad: only('ADMIN', 'AUDITOR'),
  component: function ProgrammeRoute() {
    return <ProgrammePage id={programme.useParams().id} />;
  },
});
const applicationsQueue = createRoute({
  getParentRoute: () => signedIn,
  path: '/admin/applications',
  beforeLoad: only('ADMIN'),
  component: ApplicationsQueue,
});
const providersQueue = createRoute({
  getParentRoute: () => signedIn,
  path: '/admin/providers',
  beforeLoad: only('ADMIN'),
  component: ProvidersQueue,
});
const claimsQueue = createRoute({
  getParentRoute: () => signedIn,
  path: '/admin/claims',
  beforeLoad: only('ADMIN'),
  validateSearch: (search: Record<string, unknown>): { claim?: string } =>
    typeof search.claim === 'string' ? { claim: search.claim } : {},
  component: function ClaimsQueueRoute() {
    return <ClaimsQueue selected={claimsQueue.useSearch().claim ?? null} />;
  },
});
const disputesQueue = createRoute({
  getParentRoute: () => signedIn,
  path: '/admin/disputes',
  beforeLoad: only('ADMIN'),
  validateSearch: (search: Record<string, unknown>): { dispute?: string } =>
    typeof search.dispute === 'string' ? { dispute: search.dispute } : {},
  component: function DisputesQueueRoute() {
    return <DisputesQueue selected={disputesQueue.useSearch().dispute ?? null} />;
  },
});
const approvalsQueue = createRoute({
  getParentRoute: () => signedIn,
  path: '/admin/approvals',
  beforeLoad: only('ADMIN'),
  validateSearch: (search: Record<string, unknown>): { approval?: string } =>
    typeof search.approval === 'string' ? { approval: search.approval } : {},
  component: function ApprovalsQueueRoute() {
    return <ApprovalsQueue selected={approvalsQueue.useSearch().approval ?? null} />;
  },
});
const processesQueue = createRoute({
  getParentRoute: () => signedIn,
  path: '/admin/processes',
  beforeLoad: only('ADMIN'),
  component: ProcessesQueue,
});
const reports = createRoute({
  getParentRoute: () => signedIn,
  path: '/reports',
  beforeLoad: only('ADMIN', 'AUDITOR'),
  validateSearch: reportSearch,
  component: function ReportsRoute() {
    return <ReportsDashboard search={reports.useSearch()} />;
  },
});
const audit = createRoute({
  getParentRoute: () => signedIn,
  path: '/audit',
  beforeLoad: only('ADMIN', 'AUDITOR'),
  validateSearch: auditSearch,
  component: function AuditRoute() {
    return <AuditExplorer search={audit.useSearch()} />;
  },
});
const account = createRoute({ getParentRoute: () => signedIn, path: '/account', component: Account });
const usersAdmin = createRoute({
  getParentRoute: () => signedIn,
  path: '/admin/users',
  beforeLoad: only('ADMIN'),
  component: UsersAdmin,
});
const auditorHome = createRoute({
  getParentRoute: () => signedIn,
  path: '/auditor',
  beforeLoad: only('AUDITOR'),
  component: AuditorHome,
});

const routeTree = root.addChildren([
  signIn,
  register,
  forgotPassword,
  resetPassword,
  verifyEmail,
  invitation,
  index,
  signedIn.addChildren([
    smeHome,
    smeEnterprise,
    smeProgrammes,
    smeProgramme,
    application,
    voucher,
    booking,
    providerHome,
    providerOnboarding,
    providerCatalog,
    providerCalendar,
    providerInbox,
    providerClaims,
    adminHome,
    programmes,
    programmeCreate,
    programme,
    applicationsQueue,
    providersQueue,
    claimsQueue,
    disputesQueue,
    processesQueue,
    approvalsQueue,
    reports,
    audit,
    auditorHome,
    account,
    usersAdmin,
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({ routeTree, context: { queryClient }, defaultPreload: false });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
