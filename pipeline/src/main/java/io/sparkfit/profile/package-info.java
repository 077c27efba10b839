/**
 * One pass over the projected training rows: per partition, each row checked and added to its
 * columns' statistics by their kinds, the label counted; partial profiles merged exactly; then the
 * fit of every column ({@code FeatureFit}) and the resolved class weights.
 */
package io.sparkfit.profile;
